// The first engine: parses every module and the query (compat mode), then declines to
// evaluate. A parser REGO_UNSUPPORTED is reported with its location; a REGO_PARSE error is an
// error outcome (so it is judged, and is wrong unless the case expects an error).
import { parseModule, parseQuery } from '../../regoc/syntax/parser.ts';
import type { RegoSyntaxError } from '../../regoc/syntax/errors.ts';
import { formatLocation } from '../../regoc/syntax/location.ts';
import type { ConformanceCase } from './cases.ts';
import type { Outcome } from './judge.ts';
import type { ConformanceEngine } from './runner.ts';

export const EVAL_NOT_IMPLEMENTED = 'evaluation not implemented yet';

/** `null` when everything parses, else the outcome for the first failure. */
export function parseCase(kase: ConformanceCase): Outcome | null {
  for (const [i, m] of kase.modules.entries()) {
    const r = parseModule(m, { file: `test-${i}.rego`, compat: true });
    if (!r.ok) return syntaxOutcome(r.errors);
  }
  const q = parseQuery(kase.query, { compat: true });
  return q.ok ? null : syntaxOutcome(q.errors);
}

export function syntaxOutcome(errors: readonly RegoSyntaxError[]): Outcome {
  const u = errors.find((e) => e.code === 'REGO_UNSUPPORTED');
  if (u) {
    return {
      kind: 'unsupported',
      reason: `REGO_UNSUPPORTED ${u.detail}`,
      location: formatLocation(u.location),
    };
  }
  return {
    kind: 'error',
    message: errors.map((e) => e.message).join('\n'),
    code: 'rego_parse_error',
  };
}

export const parseOnlyEngine: ConformanceEngine = {
  name: 'parse-only',
  run(kase) {
    return (
      parseCase(kase) ?? { kind: 'unsupported', reason: `REGO_UNSUPPORTED ${EVAL_NOT_IMPLEMENTED}` }
    );
  },
};
