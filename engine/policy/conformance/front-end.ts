// The front-end engine: parse (compat) → check → lower, then decline to evaluate. It reports
// the most specific reason a case cannot run yet. Checker errors other than REGO_UNSUPPORTED are
// error outcomes (OPA reports compile errors as errors, judged against want_error / _code).
import { check } from '../../regoc/check/check.ts';
import { formatCheckDiagnostic } from '../../regoc/check/diagnostics.ts';
import { lowerPlan } from '../../regoc/plan/lower.ts';
import { parseModule, parseQuery } from '../../regoc/syntax/parser.ts';
import { formatLocation } from '../../regoc/syntax/location.ts';
import type { Module } from '../../regoc/syntax/ast.ts';
import type { Outcome } from './judge.ts';
import { EVAL_NOT_IMPLEMENTED, syntaxOutcome } from './parse-only.ts';
import type { ConformanceEngine } from './runner.ts';

export const frontEndEngine: ConformanceEngine = {
  name: 'front-end',
  run(kase): Outcome {
    const modules: Module[] = [];
    for (const [i, text] of kase.modules.entries()) {
      const r = parseModule(text, { file: `test-${i}.rego`, compat: true });
      if (!r.ok) return syntaxOutcome(r.errors);
      modules.push(r.value);
    }
    const q = parseQuery(kase.query, { compat: true });
    if (!q.ok) return syntaxOutcome(q.errors);
    const checked = check(modules, q.value);
    const unsupported = checked.diagnostics.find((d) => d.code === 'REGO_UNSUPPORTED');
    if (unsupported) {
      return {
        kind: 'unsupported',
        reason: `REGO_UNSUPPORTED ${unsupported.message}`,
        location: formatLocation(unsupported.location),
      };
    }
    const first = checked.diagnostics[0];
    if (first) {
      const message = checked.diagnostics.map(formatCheckDiagnostic).join('\n');
      return { kind: 'error', message, code: first.code };
    }
    const lowered = lowerPlan(checked.resolution, q.value);
    if (!lowered.ok) {
      return {
        kind: 'unsupported',
        reason: `REGO_UNSUPPORTED ${lowered.message}`,
        location: formatLocation(lowered.location),
      };
    }
    return { kind: 'unsupported', reason: `REGO_UNSUPPORTED ${EVAL_NOT_IMPLEMENTED}` };
  },
};
