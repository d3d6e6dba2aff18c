// OPA's judging rules for one conformance case (as in OPA's topdown case runner):
// - `want_error`: an error is required and its message must contain the text ("" accepts any).
// - `want_error_code`: an error is required and its code must equal the text exactly.
// - an error when the case expects neither is wrong;
// - `want_result`: the solutions, as binding maps, must equal the expected maps as a *set*,
//   by value (1 == 1.0, bigints exact; duplicates collapse). `[]` means "no solutions"
//   (undefined); an error counts as no solutions here, as in OPA, after the error checks.
// - `sort_bindings`: every binding value of the *actual* solutions must be an array and is
//   sorted in OPA's order before comparing (OPA sorts only the actual side; the expected
//   arrays are written sorted).
// - `unsupported` outcomes are never a pass and never wrong.
import type { Bindings, ConformanceCase } from './cases.ts';
import { compareValues, showValue, toSortedSet, type JsonValue } from './values.ts';

/** What an engine produced for a case. */
export type Outcome =
  | { readonly kind: 'result'; readonly bindings: readonly Bindings[] }
  | { readonly kind: 'error'; readonly message: string; readonly code?: string }
  | { readonly kind: 'unsupported'; readonly reason: string; readonly location?: string };

export type VerdictStatus = 'pass' | 'wrong' | 'unsupported';

export interface Verdict {
  readonly status: VerdictStatus;
  /** Why it is wrong or unsupported; absent on pass. */
  readonly reason?: string;
}

type Expectation = Pick<
  ConformanceCase,
  'wantResult' | 'wantError' | 'wantErrorCode' | 'sortBindings'
>;

const wrong = (reason: string): Verdict => ({ status: 'wrong', reason });

export function judge(kase: Expectation, outcome: Outcome): Verdict {
  if (outcome.kind === 'unsupported') {
    const where = outcome.location ? `${outcome.location}: ` : '';
    return { status: 'unsupported', reason: `${where}${outcome.reason}` };
  }
  const { wantResult, wantError, wantErrorCode } = kase;
  const wantsError = wantError !== undefined || wantErrorCode !== undefined;
  if (wantResult === undefined && !wantsError) {
    return wrong('case has none of want_result, want_error, want_error_code');
  }
  let solutions: readonly Bindings[] = [];
  if (outcome.kind === 'error') {
    if (!wantsError) return wrong(`unexpected error: ${outcome.message}`);
    if (wantError !== undefined && !outcome.message.includes(wantError)) {
      return wrong(
        `error ${JSON.stringify(outcome.message)} does not contain ${JSON.stringify(wantError)}`,
      );
    }
    if (wantErrorCode !== undefined && outcome.code !== wantErrorCode) {
      return wrong(`error code ${String(outcome.code)}, want ${wantErrorCode}`);
    }
  } else {
    if (wantsError) {
      return wrong(
        `want error ${[wantErrorCode, wantError].filter((x) => x !== undefined).join(' / ')}, got a result`,
      );
    }
    solutions = outcome.bindings;
  }
  if (wantResult === undefined) return { status: 'pass' };
  let got: readonly Bindings[] = solutions;
  if (kase.sortBindings) {
    const sorted = sortBindingValues(solutions);
    if (typeof sorted === 'string') return wrong(sorted);
    got = sorted;
  }
  return sameResultSet(wantResult, got)
    ? { status: 'pass' }
    : wrong(`result ${showValue(got)}, want ${showValue(wantResult)}`);
}

/** Sorts each binding value (which must be an array); a string is the error. */
export function sortBindingValues(solutions: readonly Bindings[]): Bindings[] | string {
  const out: Bindings[] = [];
  for (const b of solutions) {
    const sorted: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(b)) {
      if (!Array.isArray(v)) return `sort_bindings: binding ${k} is not an array: ${showValue(v)}`;
      sorted[k] = [...(v as JsonValue[])].sort(compareValues);
    }
    out.push(sorted);
  }
  return out;
}

/** Two result sets are equal as sets of binding maps, compared by value. */
export function sameResultSet(a: readonly Bindings[], b: readonly Bindings[]): boolean {
  const x = toSortedSet(a);
  const y = toSortedSet(b);
  return x.length === y.length && x.every((v, i) => compareValues(v, y[i] as JsonValue) === 0);
}
