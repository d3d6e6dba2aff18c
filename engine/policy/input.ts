// The policy input document (policies/README.md, "The policy input"; schema:
// schemas/policy-input.schema.json): one per planned change, built from the planner's view of
// the certificate, its model object (labels, owner, profile, file) and the Issuer and Targets
// it names. Pure and deterministic: the same arguments give the same document, key order
// included. Never reads the clock; `now` is injected.
import { findObject, type ModelObject, type Model } from '../model/object.ts';
import type { DesiredCertificate } from '../plan/desired.ts';
import type { Action, Change } from '../plan/planner.ts';

const DAY_MS = 86_400_000;
const NS_PER_MS = 1_000_000n;

/** Issuer types whose certificates are publicly trusted (CA/Browser Forum rules apply). */
const PUBLIC_ISSUER_TYPES: ReadonlySet<string> = new Set(['acme']);

export interface PolicyApproval {
  login: string;
  /** `@org/team`. */
  teams: string[];
}

export interface PolicyRepo {
  /** Pull request's or commit's author login; '' when unknown. */
  author: string;
  /** Repository-relative paths the change touches. */
  changedPaths: string[];
}

export interface PolicyDiscovered {
  serial?: string;
  /** RFC 3339. */
  notBefore?: string;
  notAfter?: string;
  /** Issuer distinguished name. */
  issuer?: string;
  fingerprint?: string;
  key?: { algorithm: 'RSA' | 'ECDSA' | 'Ed25519'; size?: number };
}

export interface PolicyCertificate {
  kind: 'Certificate';
  name: string;
  team: string | null;
  file?: string;
  labels: Record<string, string>;
  owner: string;
  issuer: { name: string; type: string; public: boolean };
  profile?: string;
  commonName?: string;
  subject?: Record<string, string>;
  dnsNames: string[];
  ipAddresses: string[];
  uris: string[];
  emailAddresses: string[];
  privateKey: { algorithm: string; size?: number; rotation: 'always' | 'reuse' };
  signatureAlgorithm?: string;
  keyUsages: string[];
  extendedKeyUsages: string[];
  durationDays: number;
  renewBeforeDays: number;
  targets: { name: string; type: string }[];
}

export interface PolicyInput {
  certificate: PolicyCertificate;
  action: Action;
  reasons?: string[];
  discovered?: PolicyDiscovered;
  approvals?: PolicyApproval[];
  repo?: PolicyRepo;
  /** RFC 3339 (Date.toISOString, as Plan.now). */
  now: string;
  /** Nanoseconds since the epoch, decimal; exact (BigInt), never through a float. */
  now_ns: string;
}

export interface PolicyInputArgs {
  desired: DesiredCertificate;
  /** The planned change for `desired`; without one the action is `issue` and no reasons are given. */
  change?: Change;
  model: Model;
  now: Date;
  /** Only in a pull request; absent elsewhere (the approval rules then do not apply). */
  approvals?: readonly PolicyApproval[];
  repo?: PolicyRepo;
  discovered?: PolicyDiscovered;
}

/** Nanoseconds since the epoch of `d`, as a decimal string, computed exactly with BigInt. */
export function nowNs(d: Date): string {
  const ms = d.getTime();
  if (!Number.isSafeInteger(ms)) throw new Error('policy input: invalid date');
  return (BigInt(ms) * NS_PER_MS).toString();
}

/** The certificate's model object (the valid one when names repeat), if it is in the model. */
export function certificateObject(
  model: Model,
  name: string,
): ModelObject<'Certificate'> | undefined {
  return findObject(model, 'Certificate', name);
}

/** Throws when `change` is about another certificate. */
export function policyInput(args: PolicyInputArgs): PolicyInput {
  const { desired: d, change, model, now } = args;
  if (change && change.certificate !== d.name)
    throw new Error(`policy input: change for ${change.certificate} given for ${d.name}`);
  const obj = certificateObject(model, d.name);
  const meta = obj?.value.metadata;
  const cert: PolicyCertificate = {
    kind: 'Certificate',
    name: d.name,
    team: d.team,
    ...(obj ? { file: obj.source.file } : {}),
    labels: sortedRecord(meta?.labels ?? {}),
    owner: meta?.owner ?? '',
    issuer: {
      name: d.issuer,
      type: d.issuerType,
      public: PUBLIC_ISSUER_TYPES.has(d.issuerType),
    },
    ...(obj?.value.spec.profile !== undefined ? { profile: obj.value.spec.profile } : {}),
    ...(d.commonName !== undefined ? { commonName: d.commonName } : {}),
    ...(d.subject !== undefined ? { subject: sortedRecord(d.subject) } : {}),
    dnsNames: [...d.dnsNames],
    ipAddresses: [...d.ipAddresses],
    uris: [...d.uris],
    emailAddresses: [...d.emailAddresses],
    privateKey: {
      algorithm: d.key.algorithm,
      ...(d.key.size !== undefined ? { size: d.key.size } : {}),
      rotation: d.rotation,
    },
    keyUsages: [...d.keyUsages],
    extendedKeyUsages: [...d.extendedKeyUsages],
    durationDays: d.durationMs / DAY_MS,
    renewBeforeDays: renewBeforeMs(d) / DAY_MS,
    targets: d.targets.map((t) => ({ name: t.target, type: t.type })),
  };
  const input: PolicyInput = {
    certificate: cert,
    action: change?.action ?? 'issue',
    now: now.toISOString(),
    now_ns: nowNs(now),
  };
  if (change) input.reasons = change.reasons.map((r) => r.code);
  if (args.discovered) input.discovered = structuredClone(args.discovered);
  if (args.approvals)
    input.approvals = args.approvals.map((a) => ({ login: a.login, teams: [...a.teams] }));
  if (args.repo)
    input.repo = { author: args.repo.author, changedPaths: [...args.repo.changedPaths] };
  return canonicalKeys(input);
}

/** The renewal window as the planner computes it (engine/plan/checks.ts). */
function renewBeforeMs(d: DesiredCertificate): number {
  return d.renewBeforeMs ?? (d.durationMs * (d.renewBeforePercentage ?? 33)) / 100;
}

function sortedRecord(r: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) {
    const v = r[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * Keys sorted at every level (code-unit order: OPA's byte order for the ASCII keys certops
 * writes). JSON key order carries no meaning, but the wasm runtime keeps objects sorted, so
 * keys that arrive in order are appended without a search: parsing the input is cheaper.
 */
function canonicalKeys(input: PolicyInput): PolicyInput {
  return sortKeys(input) as PolicyInput;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortKeys(o[k]);
  return out;
}
