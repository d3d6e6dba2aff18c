// Policy evaluation over a plan: one input document per planned change (input.ts), the
// `certops/results` entrypoint of the policy bundle, then the one waiver code path
// (waivers.ts) and each result located at the YAML line that sets the value (result-location.ts).
//
// Contract: pure apart from the evaluator it is given (a loaded bundle, or a stand-in in tests).
// Results come from user-written Rego, so they are untrusted: a result that is not
// {id, level: deny|warn, message, path?} stops evaluation with PolicyResultError naming the
// rule id (when it has one) and the certificate, never a silent pass.
import { CertopsError } from '../errors.ts';
import type { Model, ModelObject } from '../model/object.ts';
import type { DesiredCertificate } from '../plan/desired.ts';
import type { Change } from '../plan/planner.ts';
import type { InventoryRecord } from '../state/types.ts';
import {
  certificateObject,
  policyInput,
  type PolicyApproval,
  type PolicyDiscovered,
  type PolicyInput,
  type PolicyRepo,
} from './input.ts';
import type { ResultSet } from './loader.ts';
import { locateResult, type ResultLocation } from './result-location.ts';
import {
  partitionResults,
  waiverMatches,
  type Partition,
  type PolicyResult,
  type WaiverView,
} from './waivers.ts';

/** The entrypoint every certops policy bundle exposes. */
export const RESULTS_ENTRYPOINT = 'certops/results';

/** Waivers may reach at most this far ahead unless data.certops.config.waiver_max_days says otherwise. */
export const DEFAULT_WAIVER_MAX_DAYS = 180;

/** One result as the policy returns it. */
export interface RawPolicyResult {
  id: string;
  level: 'deny' | 'warn';
  message: string;
  path?: string;
}

export interface PolicyEvaluator {
  /** The results for one input; throws PolicyResultError on a malformed result. */
  results(input: PolicyInput): RawPolicyResult[];
}

/** A policy returned something that is not a result; the policy's author must fix it. */
export class PolicyResultError extends CertopsError {
  constructor(message: string) {
    super('INVALID_INPUT', message, {
      hint: 'Each member of certops/results must be {"id": string, "level": "deny"|"warn", "message": string, "path"?: string}; run `certops policy test`.',
    });
  }
}

const MAX_TEXT = 4096;

/** Checks one evaluation's result set (certops/results is a set of result objects). */
export function parseResults(rs: ResultSet, subject: string): RawPolicyResult[] {
  if (rs.length === 0) return []; // undefined: no results
  const value = rs[0]?.result;
  if (!Array.isArray(value))
    throw new PolicyResultError(`certops/results for ${subject} is not a set of results`);
  // A set arrives as an array: sorted by regoc modules, in the module's own order from others
  // (OPA's wasm); sorted here so results never depend on the compiler.
  return value.map((r: unknown) => parseOne(r, subject)).sort(byResult);
}

function byResult(a: RawPolicyResult, b: RawPolicyResult): number {
  for (const k of ['id', 'level', 'message', 'path'] as const) {
    const x = a[k] ?? '';
    const y = b[k] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function parseOne(r: unknown, subject: string): RawPolicyResult {
  const bad = (why: string): never => {
    const id =
      typeof r === 'object' && r !== null && typeof (r as { id?: unknown }).id === 'string'
        ? ` ${(r as { id: string }).id.slice(0, 80)}`
        : '';
    throw new PolicyResultError(`policy result${id} for ${subject}: ${why}`);
  };
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return bad('is not an object');
  const o = r as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!['id', 'level', 'message', 'path'].includes(k)) bad(`unknown field "${k.slice(0, 40)}"`);
  if (typeof o.id !== 'string' || !/^[a-z0-9_.-]{1,128}$/.test(o.id))
    bad('"id" must be a rule id like crypto.rsa_min_size');
  if (o.level !== 'deny' && o.level !== 'warn') bad('"level" must be "deny" or "warn"');
  if (typeof o.message !== 'string' || o.message === '' || o.message.length > MAX_TEXT)
    bad('"message" must be a non-empty string');
  if (o.path !== undefined && (typeof o.path !== 'string' || o.path.length > 512))
    bad('"path" must be a string');
  const out: RawPolicyResult = {
    id: o.id as string,
    level: o.level as 'deny' | 'warn',
    message: o.message as string,
  };
  if (typeof o.path === 'string') out.path = o.path;
  return out;
}

export interface LocatedResult extends PolicyResult {
  /** Where the value the result is about is written (absent for subjects outside the model). */
  location?: ResultLocation;
}

export interface ChangeVerdict {
  certificate: string;
  action: Change['action'];
  /** Counting results: deny blocks apply, warn is shown. Includes expired-waiver results. */
  failed: LocatedResult[];
  waived: { result: LocatedResult; waiver: string; expires: string }[];
  /** Results whose waiver has expired (also in `failed`). */
  expiredWaiver: { result: LocatedResult; waiver: string; expires: string }[];
}

export interface PolicyReport {
  /** Changes evaluated (every change whose certificate is declared). */
  evaluated: number;
  /** Per change with at least one result, in plan order. */
  changes: ChangeVerdict[];
  waiverWarnings: { waiver: string; file?: string; reason: 'matches-nothing' | 'beyond-horizon' }[];
  summary: { deny: number; warn: number; waived: number; expiredWaivers: number };
  /** True when an unwaived deny exists: plan exits 4 and apply refuses. */
  denied: boolean;
}

export interface EvaluateArgs {
  changes: readonly Change[];
  desired: readonly DesiredCertificate[];
  model: Model;
  evaluator: PolicyEvaluator;
  now: Date;
  inventory?: ReadonlyMap<string, InventoryRecord>;
  approvals?: readonly PolicyApproval[];
  repo?: PolicyRepo;
  maxWaiverDays?: number;
}

/** The model's Waiver objects as the waiver code path sees them. */
export function waiversOf(model: Model): { view: WaiverView; obj: ModelObject<'Waiver'> }[] {
  return model.objects
    .filter((o): o is ModelObject<'Waiver'> => o.kind === 'Waiver' && o.valid)
    .map((obj) => {
      const s = obj.value.spec;
      const subject: WaiverView['subject'] = {};
      if (s.subject.kind !== undefined) subject.kind = s.subject.kind;
      if (s.subject.names !== undefined) subject.names = [...s.subject.names];
      if (s.subject.matchLabels !== undefined)
        subject.matchLabels = cleanLabels(s.subject.matchLabels);
      return {
        obj,
        view: {
          name: obj.name,
          rule: s.rule,
          subject,
          owner: s.owner,
          justification: s.justification,
          expires: s.expires,
        },
      };
    });
}

/** What the inventory knows about the certificate now, for input.discovered. */
export function discoveredOf(rec: InventoryRecord | undefined): PolicyDiscovered | undefined {
  if (!rec || rec.state !== 'active') return undefined;
  const d: PolicyDiscovered = {
    serial: rec.serial,
    notBefore: rec.notBefore,
    notAfter: rec.notAfter,
    issuer: rec.issuerDn,
    fingerprint: rec.fingerprintSha256,
  };
  const m = /^(RSA|ECDSA)-P?(\d+)$|^(Ed25519)$/.exec(rec.keyAlgorithm);
  if (m?.[3]) d.key = { algorithm: 'Ed25519' };
  else if (m?.[1] && m[2]) d.key = { algorithm: m[1] as 'RSA' | 'ECDSA', size: Number(m[2]) };
  return d;
}

export function evaluateChanges(args: EvaluateArgs): PolicyReport {
  const byName = new Map(args.desired.map((d) => [d.name, d]));
  const all: PolicyResult[] = [];
  const owner = new Map<PolicyResult, Change>();
  const subjects: PolicyResult['subject'][] = [];
  for (const change of args.changes) {
    const desired = byName.get(change.certificate);
    if (!desired) continue; // retiring an undeclared certificate: nothing to judge
    const input = policyInput({
      desired,
      change,
      model: args.model,
      now: args.now,
      ...(args.approvals ? { approvals: args.approvals } : {}),
      ...(args.repo ? { repo: args.repo } : {}),
      ...optional('discovered', discoveredOf(args.inventory?.get(desired.name))),
    });
    const labels = certificateObject(args.model, desired.name)?.value.metadata.labels ?? {};
    const subject = { kind: 'Certificate', name: desired.name, labels: cleanLabels(labels) };
    subjects.push(subject);
    for (const raw of args.evaluator.results(input)) {
      const r: PolicyResult = { ...raw, subject };
      all.push(r);
      owner.set(r, change);
    }
  }
  const waivers = waiversOf(args.model);
  const part = partitionResults(
    all,
    waivers.map((w) => w.view),
    args.now,
    { maxHorizonDays: args.maxWaiverDays ?? DEFAULT_WAIVER_MAX_DAYS },
  );
  return report(args, part, owner, subjects, waivers);
}

/** Does the waiver's subject selector pick this subject (whatever the rule)? */
function selects(w: WaiverView, subject: PolicyResult['subject']): boolean {
  return waiverMatches({ ...w, rule: '' }, { id: '', level: 'warn', message: '', subject });
}

function report(
  args: EvaluateArgs,
  part: Partition,
  owner: Map<PolicyResult, Change>,
  subjects: readonly PolicyResult['subject'][],
  waivers: { view: WaiverView; obj: ModelObject<'Waiver'> }[],
): PolicyReport {
  const evaluated = subjects.length;
  const located = new Map<PolicyResult, LocatedResult>();
  const loc = (r: PolicyResult): LocatedResult => {
    let l = located.get(r);
    if (!l) {
      const where = locateResult(args.model, r);
      l = where ? { ...r, location: where } : { ...r };
      located.set(r, l);
    }
    return l;
  };
  const verdicts = new Map<Change, ChangeVerdict>();
  const verdictOf = (r: PolicyResult): ChangeVerdict => {
    const c = owner.get(r) as Change;
    let v = verdicts.get(c);
    if (!v) {
      v = {
        certificate: c.certificate,
        action: c.action,
        failed: [],
        waived: [],
        expiredWaiver: [],
      };
      verdicts.set(c, v);
    }
    return v;
  };
  const byLevel = (a: LocatedResult, b: LocatedResult): number =>
    a.level === b.level ? a.id.localeCompare(b.id) : a.level === 'deny' ? -1 : 1;
  for (const r of part.failed) verdictOf(r).failed.push(loc(r));
  for (const w of part.waived)
    verdictOf(w.result).waived.push({
      result: loc(w.result),
      waiver: w.waiver.name,
      expires: w.waiver.expires,
    });
  for (const w of part.expiredWaiver)
    verdictOf(w.result).expiredWaiver.push({
      result: loc(w.result),
      waiver: w.waiver.name,
      expires: w.waiver.expires,
    });
  const changes = args.changes.flatMap((c) => {
    const v = verdicts.get(c);
    if (!v) return [];
    v.failed.sort(byLevel);
    return [v];
  });
  const fileOf = new Map(waivers.map((w) => [w.view.name, w.obj.source.file]));
  const deny = part.failed.filter((r) => r.level === 'deny').length;
  return {
    evaluated,
    changes,
    // "Matches nothing" is only known for waivers whose subjects were judged: a plan of a few
    // renewals says nothing about the waiver of a certificate it did not touch.
    waiverWarnings: part.waiverWarnings
      .filter((w) => w.reason !== 'matches-nothing' || subjects.some((s) => selects(w.waiver, s)))
      .map((w) => ({
        waiver: w.waiver.name,
        ...optional('file', fileOf.get(w.waiver.name)),
        reason: w.reason,
      })),
    summary: {
      deny,
      warn: part.failed.length - deny,
      waived: part.waived.length,
      expiredWaivers: part.expiredWaiver.length,
    },
    denied: deny > 0,
  };
}

function cleanLabels(labels: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (v !== undefined) out[k] = v;
  return out;
}

function optional<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}
