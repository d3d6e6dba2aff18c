// Aggregates verdicts into pass / wrong / unsupported per category. `ConformanceReport` is the
// JSON shape of `certops policy conformance --json` (plain JSON: no bigints, stable key order:
// categories sorted by name, lists in case order).
import type { ConformanceCase } from './cases.ts';
import type { Outcome, Verdict } from './judge.ts';

export interface CaseResult {
  readonly kase: ConformanceCase;
  readonly outcome: Outcome;
  readonly verdict: Verdict;
}

export interface Counts {
  total: number;
  pass: number;
  wrong: number;
  unsupported: number;
}

export interface CaseLine {
  readonly category: string;
  readonly note: string;
  readonly file: string;
  readonly reason: string;
}

export interface ConformanceReport {
  readonly version: 1;
  readonly engine: string;
  readonly totals: Counts;
  readonly categories: Readonly<Record<string, Counts>>;
  /** Every wrong case with its reason (must stay empty). */
  readonly wrong: readonly CaseLine[];
  readonly unsupported: readonly CaseLine[];
  /** Unsupported reasons without their location, with counts, most frequent first. */
  readonly unsupportedReasons: readonly { readonly reason: string; readonly count: number }[];
}

const zero = (): Counts => ({ total: 0, pass: 0, wrong: 0, unsupported: 0 });

export function report(results: readonly CaseResult[], engine = 'unknown'): ConformanceReport {
  const totals = zero();
  const byCategory = new Map<string, Counts>();
  const wrong: CaseLine[] = [];
  const unsupported: CaseLine[] = [];
  const reasons = new Map<string, number>();
  for (const { kase, verdict } of results) {
    const counts = byCategory.get(kase.category) ?? zero();
    byCategory.set(kase.category, counts);
    for (const c of [totals, counts]) {
      c.total++;
      c[verdict.status]++;
    }
    if (verdict.status === 'pass') continue;
    const line = {
      category: kase.category,
      note: kase.note,
      file: kase.file,
      reason: verdict.reason ?? '',
    };
    (verdict.status === 'wrong' ? wrong : unsupported).push(line);
    if (verdict.status === 'unsupported') {
      const key = stripLocation(line.reason);
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
  }
  const categories: Record<string, Counts> = {};
  for (const k of [...byCategory.keys()].sort()) categories[k] = byCategory.get(k) as Counts;
  const unsupportedReasons = [...reasons]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  return { version: 1, engine, totals, categories, wrong, unsupported, unsupportedReasons };
}

/** `file.rego:3:5: unsupported: x` → `unsupported: x`. */
export function stripLocation(reason: string): string {
  return reason.replace(/^[^\s:]+:\d+:\d+: /, '');
}

/** A short text table, one line per category, then the totals and wrong cases. */
export function formatReport(r: ConformanceReport): string {
  const rows = Object.entries(r.categories).map(([k, c]) => row(k, c));
  const lines = [row('category', null), ...rows, row('total', r.totals)];
  for (const w of r.wrong) lines.push(`WRONG ${w.note} (${w.file}): ${w.reason}`);
  return lines.join('\n');
}

function row(name: string, c: Counts | null): string {
  const cells = c ? [c.total, c.pass, c.wrong, c.unsupported] : ['total', 'pass', 'wrong', 'unsup'];
  return name.padEnd(16) + cells.map((x) => String(x).padStart(7)).join('');
}
