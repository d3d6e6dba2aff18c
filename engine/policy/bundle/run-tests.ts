// Runs a bundle's Rego tests the way `opa test` judges them: each `test_*` rule is evaluated as
// an entrypoint with no input; it passes when its value is `true`, fails when it is undefined
// or any other value, and is an error when evaluation fails (a builtin error, a conflict).
import { ExternalError } from '../../errors.ts';
import { loadPolicyBundleSync, type HostBuiltin } from '../loader.ts';
import type { BuiltBundle } from './build.ts';

export type TestStatus = 'pass' | 'fail' | 'error';

export interface TestResult {
  /** The entrypoint: `certops/crypto_test/test_rsa_small`. */
  readonly name: string;
  /** As `opa test` prints it: `data.certops.crypto_test.test_rsa_small`. */
  readonly ref: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly status: TestStatus;
  readonly durationMs: number;
  /** Why it failed (`undefined`, or the value) or the evaluation error. */
  readonly message?: string;
}

export interface TestReport {
  readonly tests: readonly TestResult[];
  readonly summary: { total: number; pass: number; fail: number; error: number };
  readonly durationMs: number;
}

export interface RunTestsOptions {
  /** Only tests whose name (`pkg/test_x`) or ref (`data.pkg.test_x`) matches. */
  readonly run?: RegExp;
  /** Host builtins for the module (passed to the SDK). */
  readonly builtins?: Record<string, HostBuiltin>;
  /** Milliseconds from an arbitrary origin, for durations; default performance.now. */
  readonly timer?: () => number;
  /** The clock time.now_ns reads (the command's --now); default the system clock. */
  readonly now?: () => Date;
}

export const testRef = (name: string): string => `data.${name.replace(/\//g, '.')}`;

/** Synchronous: the module is compiled with WebAssembly's synchronous API (test modules are small). */
export function runPolicyTests(
  bundle: Pick<BuiltBundle, 'wasm' | 'data' | 'tests'> &
    Partial<Pick<BuiltBundle, 'testLocations'>>,
  opts: RunTestsOptions = {},
): TestReport {
  const timer = opts.timer ?? (() => performance.now());
  const start = timer();
  const selected = bundle.tests.filter(
    (t) => !opts.run || opts.run.test(t) || opts.run.test(testRef(t)),
  );
  const tests: TestResult[] = [];
  if (selected.length > 0) {
    const policy = loadPolicyBundleSync({
      wasm: bundle.wasm,
      data: bundle.data,
      builtins: opts.builtins,
      ...(opts.now ? { now: opts.now } : {}),
    });
    for (const name of selected) {
      const where = bundle.testLocations?.[name];
      const base = { name, ref: testRef(name), file: where?.file, line: where?.line };
      const t0 = timer();
      let outcome: { status: TestStatus; message?: string };
      try {
        outcome = judge(policy.evaluate(undefined, name));
      } catch (e) {
        if (!(e instanceof ExternalError)) throw e;
        outcome = {
          status: 'error',
          message: e.message.replace(/^policy evaluation failed: /, ''),
        };
      }
      tests.push({ ...base, ...outcome, durationMs: timer() - t0 });
    }
  }
  const count = (s: TestStatus): number => tests.filter((t) => t.status === s).length;
  return {
    tests,
    summary: {
      total: tests.length,
      pass: count('pass'),
      fail: count('fail'),
      error: count('error'),
    },
    durationMs: timer() - start,
  };
}

function judge(rows: { result: unknown }[]): { status: TestStatus; message?: string } {
  if (rows.length === 0) return { status: 'fail', message: 'undefined' };
  const value = rows[0]?.result;
  if (value === true) return { status: 'pass' };
  return { status: 'fail', message: `value ${JSON.stringify(value)}, not true` };
}
