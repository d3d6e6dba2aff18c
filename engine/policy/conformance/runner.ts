// The conformance runner: cases → engine → judge → report. The engine is pluggable; an engine
// must never throw for a case it cannot handle (it returns `unsupported`). An engine that throws
// anyway makes that case wrong, with the exception text as the reason.
import type { ConformanceCase } from './cases.ts';
import { loadCases } from './cases.ts';
import { judge, type Outcome } from './judge.ts';
import { report, type CaseResult, type ConformanceReport } from './report.ts';

export interface ConformanceEngine {
  /** Shown in the report, e.g. "parse-only" or "regoc". */
  readonly name: string;
  run(kase: ConformanceCase): Outcome | Promise<Outcome>;
}

export async function runCases(
  cases: readonly ConformanceCase[],
  engine: ConformanceEngine,
): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const kase of cases) {
    let outcome: Outcome;
    try {
      outcome = await engine.run(kase);
    } catch (e) {
      const reason = `engine ${engine.name} threw: ${e instanceof Error ? e.message : String(e)}`;
      out.push({
        kase,
        outcome: { kind: 'error', message: reason },
        verdict: { status: 'wrong', reason },
      });
      continue;
    }
    out.push({ kase, outcome, verdict: judge(kase, outcome) });
  }
  return out;
}

export interface ConformanceRun {
  readonly results: readonly CaseResult[];
  readonly report: ConformanceReport;
}

/** Runs every *.yaml case under `dir` through `engine`. */
export async function runConformance(
  dir: string,
  engine: ConformanceEngine,
): Promise<ConformanceRun> {
  const results = await runCases(loadCases(dir), engine);
  return { results, report: report(results, engine.name) };
}
