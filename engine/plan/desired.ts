// The planner's view of a declared certificate: the effective spec normalised (punycode names,
// canonical IPs, durations in ms) plus the hashes that decide when a certificate must be replaced.
import { createHash } from 'node:crypto';
import type { KeySpec } from '../crypto/types.ts';
import type { Model, ModelObject } from '../model/object.ts';
import { normalizeDnsName } from '../util/dnsname.ts';
import { parseDuration } from '../util/duration.ts';
import { canonicalIp } from '../validate/checks/names.ts';

export interface DesiredTarget {
  target: string;
  /** The `{name}` used in the target's file names. */
  deployName: string;
  /** spec.type of the Target object. */
  type: string;
}

export interface DesiredCertificate {
  name: string;
  team: string | null;
  state: 'active' | 'revoked' | 'retired';
  issuer: string;
  issuerType: string;
  commonName?: string;
  subject?: Record<string, string>;
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  key: KeySpec;
  rotation: 'always' | 'reuse';
  durationMs: number;
  renewBeforeMs?: number;
  renewBeforePercentage?: number;
  keyUsages: string[];
  extendedKeyUsages: string[];
  /** ACME profile to order under (acme issuers only). */
  acmeProfile?: string;
  targets: DesiredTarget[];
  /** Changes when anything that is part of the certificate itself changes. */
  specHash: string;
  /** Changes when the key algorithm or size changes. */
  keyPolicyHash: string;
}

const hash = (v: unknown): string =>
  createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

/** Desired certificates from a valid model (objects that failed validation are left out). */
export function desiredCertificates(model: Model): DesiredCertificate[] {
  const targets = new Map<string, string>();
  const issuers = new Map<string, string>();
  for (const o of model.objects) {
    if (!o.valid) continue;
    if (o.kind === 'Target') targets.set(o.name, (o as ModelObject<'Target'>).value.spec.type);
    if (o.kind === 'Issuer') issuers.set(o.name, (o as ModelObject<'Issuer'>).value.spec.type);
  }
  const out: DesiredCertificate[] = [];
  for (const o of model.objects) {
    if (o.kind !== 'Certificate' || !o.valid) continue;
    out.push(toDesired(o as ModelObject<'Certificate'>, targets, issuers));
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function toDesired(
  o: ModelObject<'Certificate'>,
  targets: Map<string, string>,
  issuers: Map<string, string>,
): DesiredCertificate {
  const s = o.value.spec;
  const dnsNames = (s.dnsNames ?? []).map((n) => {
    const r = normalizeDnsName(n);
    return r.ok ? r.ascii : n;
  });
  const ipAddresses = (s.ipAddresses ?? []).map(canonicalIp);
  const key: KeySpec = { algorithm: s.privateKey?.algorithm ?? 'ECDSA' };
  if (s.privateKey?.size !== undefined && key.algorithm !== 'Ed25519') key.size = s.privateKey.size;
  const durationMs = ms(s.duration ?? '90d');
  const identity = {
    commonName: s.commonName ?? null,
    subject: s.subject ?? null,
    dnsNames: [...dnsNames].sort(),
    ipAddresses: [...ipAddresses].sort(),
    emailAddresses: [...(s.emailAddresses ?? [])].map((e) => e.toLowerCase()).sort(),
    uris: [...(s.uris ?? [])].sort(),
    issuer: s.issuer,
    keyUsages: [...(s.keyUsages ?? [])].sort(),
    extendedKeyUsages: [...(s.extendedKeyUsages ?? [])].sort(),
    durationMs,
    // Only when set, so certificates without one keep their hash.
    ...(s.acmeProfile ? { acmeProfile: s.acmeProfile } : {}),
  };
  const d: DesiredCertificate = {
    name: o.name,
    team: o.team,
    state: s.state ?? 'active',
    issuer: s.issuer,
    issuerType: issuers.get(s.issuer) ?? 'unknown',
    dnsNames,
    ipAddresses,
    emailAddresses: s.emailAddresses ?? [],
    uris: s.uris ?? [],
    key,
    rotation: s.privateKey?.rotation ?? 'always',
    durationMs,
    keyUsages: s.keyUsages ?? [],
    extendedKeyUsages: s.extendedKeyUsages ?? [],
    targets: (s.deploy ?? []).map((t) => ({
      target: t.target,
      deployName: t.name ?? o.name,
      type: targets.get(t.target) ?? 'unknown',
    })),
    specHash: hash(identity),
    keyPolicyHash: hash(key),
  };
  if (s.commonName) d.commonName = s.commonName;
  if (s.acmeProfile) d.acmeProfile = s.acmeProfile;
  if (s.subject) d.subject = s.subject as Record<string, string>;
  if (s.renewBefore) d.renewBeforeMs = ms(s.renewBefore);
  else d.renewBeforePercentage = s.renewBeforePercentage ?? 33;
  return d;
}

function ms(text: string): number {
  const r = parseDuration(text);
  if (!r.ok) throw new Error(`invalid duration "${text}" reached the planner`);
  return r.ms;
}
