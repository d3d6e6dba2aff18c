// Front-end coverage over the conformance cases (a measuring helper, not a test): how many
// cases the checker accepts, why it rejects the others, and how many the lowering handles.
// `rejectedButExpectResult` counts checker rejections of cases that expect a result: each one
// is a checker bug or an unsupported construct, never a correct rejection.
import type { Module, Query } from '../../regoc/syntax/ast.ts';
import { parseModule, parseQuery } from '../../regoc/syntax/parser.ts';
import { check } from '../../regoc/check/check.ts';
import { lowerPlan } from '../../regoc/plan/lower.ts';
import type { ConformanceCase } from './cases.ts';

export interface Coverage {
  total: number;
  parseFailed: number;
  checked: number;
  rejected: number;
  rejectedButExpectResult: number;
  lowered: number;
  /** reason (message with names kept, location dropped) → count */
  rejectReasons: Record<string, number>;
  lowerReasons: Record<string, number>;
}

export type Lowerer = (
  modules: readonly Module[],
  query: Query,
) => { ok: boolean; reason?: string };

export function coverage(cases: readonly ConformanceCase[], lower?: Lowerer): Coverage {
  const c: Coverage = {
    total: 0,
    parseFailed: 0,
    checked: 0,
    rejected: 0,
    rejectedButExpectResult: 0,
    lowered: 0,
    rejectReasons: {},
    lowerReasons: {},
  };
  const bump = (m: Record<string, number>, k: string): void => void (m[k] = (m[k] ?? 0) + 1);
  for (const kase of cases) {
    c.total++;
    const mods = kase.modules.map((m, i) =>
      parseModule(m, { file: `test-${i}.rego`, compat: true }),
    );
    const q = parseQuery(kase.query, { compat: true });
    const modules = mods.flatMap((r) => (r.ok ? [r.value] : []));
    if (!q.ok || modules.length !== mods.length) {
      c.parseFailed++;
      continue;
    }
    const res = check(modules, q.value);
    if (!res.ok) {
      c.rejected++;
      if (kase.wantError === undefined && kase.wantErrorCode === undefined) {
        c.rejectedButExpectResult++;
      }
      const first = res.diagnostics[0];
      if (first) bump(c.rejectReasons, `${first.code}: ${first.message}`);
      continue;
    }
    c.checked++;
    if (!lower) continue;
    const l = lower(modules, q.value);
    if (l.ok) c.lowered++;
    else bump(c.lowerReasons, l.reason ?? 'unknown');
  }
  return c;
}

/** The lowerer of engine/regoc/plan, for `coverage(cases, checkAndLower)`. */
export const checkAndLower: Lowerer = (modules, query) => {
  const r = lowerPlan(check(modules, query).resolution, query);
  return r.ok ? { ok: true } : { ok: false, reason: r.message };
};
