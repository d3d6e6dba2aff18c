// Front-end invariants over the shared conformance suite (counts, not timings).
import { describe, expect, it } from 'vitest';
import { loadCases } from './cases.ts';
import { checkAndLower, coverage } from './coverage.ts';
import { frontEndEngine } from './front-end.ts';
import { runConformance } from './runner.ts';

const SHARED = '/work/shared/opa-conformance';

describe('front-end coverage of the conformance suite', () => {
  it('the checker rejects no case that expects a result; the lowering handles the core', () => {
    const c = coverage(loadCases(SHARED), checkAndLower);
    expect(c.parseFailed).toBe(0);
    expect(c.rejectedButExpectResult).toBe(0);
    expect(c.lowered).toBeGreaterThanOrEqual(37);
  });
  it('the front-end engine runs the suite with wrong == 0', async () => {
    const { report } = await runConformance(SHARED, frontEndEngine);
    expect(report.wrong).toEqual([]);
    expect(report.totals.unsupported).toBe(312);
  });
});
