// The kinds certops understands, the schema of each, and the `spec.type` values of the kinds
// that have them. kinds.test.ts keeps TYPES in step with the schemas.
import type * as T from './types.generated.ts';

export const KINDS = [
  'Certificate',
  'Issuer',
  'Target',
  'Profile',
  'DiscoverySource',
  'Notifier',
  'Waiver',
] as const;
export type Kind = (typeof KINDS)[number];

export interface KindTypes {
  Certificate: T.Certificate;
  Issuer: T.Issuer;
  Target: T.Target;
  Profile: T.Profile;
  DiscoverySource: T.DiscoverySource;
  Notifier: T.Notifier;
  Waiver: T.Waiver;
}

export const SCHEMA_FILE: Record<Kind | 'Defaults' | 'Settings', string> = {
  Certificate: 'certificate.schema.json',
  Issuer: 'issuer.schema.json',
  Target: 'target.schema.json',
  Profile: 'profile.schema.json',
  DiscoverySource: 'discoverysource.schema.json',
  Notifier: 'notifier.schema.json',
  Waiver: 'waiver.schema.json',
  Defaults: 'defaults.schema.json',
  Settings: 'settings.schema.json',
};

export const TYPES: Partial<Record<Kind, readonly string[]>> = {
  Issuer: ['ca', 'acme', 'selfSigned'],
  Target: ['file', 'nginx', 'haproxy', 'exec'],
  DiscoverySource: ['tls', 'files'],
  Notifier: ['webhook', 'slack', 'email', 'githubIssue'],
};

export const API_VERSION = 'certops/v1';

export function isKind(k: unknown): k is Kind {
  return typeof k === 'string' && (KINDS as readonly string[]).includes(k);
}
