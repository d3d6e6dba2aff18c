// `certops policy diff`: the impact of a policy change before it merges. Both policy versions
// judge the same inputs (the current desired state, the recorded inventory, the current plan);
// results are matched by (certificate, rule id) and sorted into newly failing, newly passing
// and changed level. Waivers are the current ones and apply to both sides, so a newly failing
// result that a waiver already covers is marked as such instead of hidden.
// Pure apart from the evaluators it is given.
import type { Model } from '../model/object.ts';
import type { DesiredCertificate } from '../plan/desired.ts';
import type { Change } from '../plan/planner.ts';
import type { InventoryRecord } from '../state/types.ts';
import { discoveredOf, waiversOf, type PolicyEvaluator, type RawPolicyResult } from './evaluate.ts';
import { certificateObject, policyInput, type PolicyInput } from './input.ts';
import { locateResult, type ResultLocation } from './result-location.ts';
import { waiverExpiresAt } from '../validate/checks/waivers.ts';
import { waiverMatches, type PolicyResult } from './waivers.ts';

export interface DiffEntry {
  certificate: string;
  id: string;
  level: 'deny' | 'warn';
  message: string;
  location?: ResultLocation;
  /** A current, unexpired waiver covering the result. */
  waivedBy?: string;
}

export interface PolicyDiff {
  /** Certificates judged (every active declared certificate). */
  evaluated: number;
  newlyFailing: DiffEntry[];
  newlyPassing: DiffEntry[];
  levelChanged: (DiffEntry & { from: 'deny' | 'warn' })[];
  /** Counting results (unwaived) on each side. */
  totals: { base: { deny: number; warn: number }; head: { deny: number; warn: number } };
}

export interface DiffArgs {
  model: Model;
  desired: readonly DesiredCertificate[];
  changes: readonly Change[];
  inventory: ReadonlyMap<string, InventoryRecord>;
  now: Date;
  base: PolicyEvaluator;
  head: PolicyEvaluator;
}

/** The inputs both sides judge: one per active certificate, with its planned change if any
 *  (a certificate with nothing planned is judged as `issue`: would it pass if issued today). */
export function diffInputs(args: Omit<DiffArgs, 'base' | 'head'>): PolicyInput[] {
  const byCert = new Map(args.changes.map((c) => [c.certificate, c]));
  return args.desired
    .filter((d) => d.state === 'active')
    .map((d) => {
      const change = byCert.get(d.name);
      const discovered = discoveredOf(args.inventory.get(d.name));
      return policyInput({
        desired: d,
        model: args.model,
        now: args.now,
        ...(change && change.action !== 'retire' ? { change } : {}),
        ...(discovered ? { discovered } : {}),
      });
    });
}

export function diffPolicies(args: DiffArgs): PolicyDiff {
  const inputs = diffInputs(args);
  const waivers = waiversOf(args.model).map((w) => w.view);
  const now = args.now.getTime();
  const side = (ev: PolicyEvaluator): Map<string, DiffEntry> => {
    const out = new Map<string, DiffEntry>();
    for (const input of inputs) {
      const name = input.certificate.name;
      const labels = certificateObject(args.model, name)?.value.metadata.labels ?? {};
      for (const r of ev.results(input))
        out.set(`${name}\0${r.id}`, entry(args.model, name, labels, r));
    }
    for (const e of out.values()) {
      const asResult: PolicyResult = {
        id: e.id,
        level: e.level,
        message: e.message,
        subject: { kind: 'Certificate', name: e.certificate, labels: stringLabels(e) },
      };
      const w = waivers.find(
        (w) => waiverMatches(w, asResult) && waiverExpiresAt(w.expires).getTime() >= now,
      );
      if (w) e.waivedBy = w.name;
    }
    return out;
  };
  const base = side(args.base);
  const head = side(args.head);
  const diff: PolicyDiff = {
    evaluated: inputs.length,
    newlyFailing: [],
    newlyPassing: [],
    levelChanged: [],
    totals: { base: count(base), head: count(head) },
  };
  for (const [k, e] of head) {
    const was = base.get(k);
    if (!was) diff.newlyFailing.push(e);
    else if (was.level !== e.level) diff.levelChanged.push({ ...e, from: was.level });
  }
  for (const [k, e] of base) if (!head.has(k)) diff.newlyPassing.push(e);
  const order = (a: DiffEntry, b: DiffEntry): number =>
    a.level !== b.level
      ? a.level === 'deny'
        ? -1
        : 1
      : a.certificate === b.certificate
        ? a.id.localeCompare(b.id)
        : a.certificate.localeCompare(b.certificate);
  diff.newlyFailing.sort(order);
  diff.newlyPassing.sort(order);
  diff.levelChanged.sort(order);
  return diff;
}

const labelsOf = new WeakMap<DiffEntry, Record<string, string>>();

function entry(
  model: Model,
  certificate: string,
  labels: Readonly<Record<string, string | undefined>>,
  r: RawPolicyResult,
): DiffEntry {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (v !== undefined) clean[k] = v;
  const e: DiffEntry = { certificate, id: r.id, level: r.level, message: r.message };
  const loc = locateResult(model, {
    subject: { kind: 'Certificate', name: certificate, labels: clean },
    ...(r.path !== undefined ? { path: r.path } : {}),
  });
  if (loc) e.location = loc;
  labelsOf.set(e, clean);
  return e;
}

function stringLabels(e: DiffEntry): Record<string, string> {
  return labelsOf.get(e) ?? {};
}

function count(m: Map<string, DiffEntry>): { deny: number; warn: number } {
  let deny = 0;
  let warn = 0;
  for (const e of m.values()) {
    if (e.waivedBy) continue;
    if (e.level === 'deny') deny++;
    else warn++;
  }
  return { deny, warn };
}
