import { describe, expect, it } from 'vitest';
import { parseCases, loadCases } from './cases.ts';
import { parseOnlyEngine } from './parse-only.ts';
import { report } from './report.ts';
import { runCases, runConformance, type ConformanceEngine } from './runner.ts';

const SHARED = '/work/shared/opa-conformance';

const yaml = `cases:
  - note: t/big
    query: data.t.p = x
    modules: ["package t\\np := 1"]
    input_term: '{"a": 1}'
    want_result:
      - x: [123456789123456789123]
    sort_bindings: true
    strict_error: true
  - note: t/err
    query: data.t.p = x
    modules: []
    want_error_code: eval_conflict_error
`;

describe('parseCases', () => {
  it('keeps big integers exact and every field', () => {
    const [a, b] = parseCases(yaml, 't/x.yaml');
    expect(a?.wantResult).toEqual([{ x: [123456789123456789123n] }]);
    expect(a?.category).toBe('t');
    expect(a?.inputTerm).toBe('{"a": 1}');
    expect(a?.sortBindings && a.strictError).toBe(true);
    expect(b?.wantResult).toBeUndefined();
    expect(b?.wantErrorCode).toBe('eval_conflict_error');
  });
});

describe('runner', () => {
  it('counts pass / wrong / unsupported per category', async () => {
    const cases = parseCases(yaml, 't/x.yaml');
    const engine: ConformanceEngine = {
      name: 'fake',
      run: (c) =>
        c.note === 't/big'
          ? { kind: 'result', bindings: [{ x: [123456789123456789123n] }] }
          : { kind: 'error', message: 'boom' },
    };
    const r = report(await runCases(cases, engine), 'fake');
    expect(r.totals).toEqual({ total: 2, pass: 1, wrong: 1, unsupported: 0 });
    expect(r.wrong[0]?.reason).toBe('error code undefined, want eval_conflict_error');
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
  it('an engine that throws makes the case wrong', async () => {
    const engine: ConformanceEngine = {
      name: 'bad',
      run: () => {
        throw new Error('bug');
      },
    };
    const [res] = await runCases(parseCases(yaml, 't/x.yaml').slice(0, 1), engine);
    expect(res?.verdict).toEqual({ status: 'wrong', reason: 'engine bad threw: bug' });
  });
  it('runs the shared suite with the parse-only engine: all unsupported, none wrong', async () => {
    expect(loadCases(SHARED)).toHaveLength(312);
    const { report: r } = await runConformance(SHARED, parseOnlyEngine);
    expect(r.totals).toEqual({ total: 312, pass: 0, wrong: 0, unsupported: 312 });
    expect(Object.keys(r.categories)).toHaveLength(21);
    expect(r.unsupportedReasons[0]?.reason).toBe('REGO_UNSUPPORTED evaluation not implemented yet');
  });
});
