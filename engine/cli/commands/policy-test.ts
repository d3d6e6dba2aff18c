// `certops policy test`: builds the policies with their *_test.rego files and runs every test_*
// rule, printing results like `opa test`.
import { Command, Option } from 'commander';
import { ExitCode, UsageError } from '../../errors.ts';
import { runPolicyTests, type TestReport, type TestResult } from '../../policy/bundle/run-tests.ts';
import { writeJson, type Runner } from '../command.ts';
import type { Context } from '../context.ts';
import {
  buildFromCli,
  CACHE_HELP,
  compilerOption,
  policiesOption,
  type PolicyDirOptions,
} from './policy-build.ts';

interface TestVerbOptions extends PolicyDirOptions {
  run?: string;
  verbose?: boolean;
}

export function policyTestCommand(runner: Runner): Command {
  return new Command('test')
    .summary('run the Rego tests (test_* rules) of the policies')
    .description(
      'Compiles the policies together with their *_test.rego files and evaluates every rule named ' +
        'test_* with no input. A test passes when its value is true; undefined or any other value ' +
        'fails it; an evaluation error (a conflict, a builtin error) is an ERROR. Without -v only ' +
        `failures are listed, then the summary. ${CACHE_HELP}`,
    )
    .addOption(
      new Option('--run <regex>', 'run only tests whose name matches (e.g. crypto or test_rsa_)'),
    )
    .option('-v, --verbose', 'list every test with its duration, not only failures')
    .addOption(compilerOption())
    .addOption(policiesOption())
    .addHelpText(
      'after',
      '\nExamples:\n  certops policy test\n  certops policy test -v --run crypto\n  certops policy test --json\n\n' +
        'Exit codes: 0 every test passed (or none matched), 3 a test failed or errored, or a policy\n' +
        '            does not compile (the policies are invalid input, like a compile error),\n' +
        '            1 `opa` missing or failing (--compiler opa).',
    )
    .action(runner.action<TestVerbOptions>(runTest));
}

function parseRun(text: string | undefined): RegExp | undefined {
  if (text === undefined) return undefined;
  try {
    return new RegExp(text);
  } catch (e) {
    throw new UsageError(
      `--run ${JSON.stringify(text)} is not a regular expression: ${(e as Error).message}`,
    );
  }
}

async function runTest(ctx: Context, opts: TestVerbOptions): Promise<ExitCode> {
  const run = parseRun(opts.run);
  const built = await buildFromCli(ctx, opts, true);
  const report = runPolicyTests(built, { run, now: () => ctx.clock.now() });
  const ok = report.summary.fail === 0 && report.summary.error === 0;
  if (ctx.json) {
    writeJson(ctx, {
      ok,
      compiler: built.compiler,
      cached: built.cached,
      hash: built.hash,
      files: built.files,
      summary: report.summary,
      tests: report.tests.map((t) => ({ ...t, durationMs: round(t.durationMs) })),
      durationMs: round(report.durationMs),
    });
  } else {
    ctx.io.stdout(formatReport(ctx, report, opts.verbose ?? false));
  }
  return ok ? ExitCode.Ok : ExitCode.InvalidInput;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

function formatDuration(ms: number): string {
  return ms >= 1000
    ? `${(ms / 1000).toFixed(2)}s`
    : ms >= 1
      ? `${ms.toFixed(1)}ms`
      : `${Math.round(ms * 1000)}µs`;
}

function formatReport(ctx: Context, report: TestReport, verbose: boolean): string {
  const { red, green, yellow } = ctx.style;
  const label = (t: TestResult): string =>
    t.status === 'pass' ? green('PASS') : t.status === 'fail' ? red('FAIL') : yellow('ERROR');
  const lines: string[] = [];
  let file: string | undefined;
  for (const t of report.tests) {
    if (!verbose && t.status === 'pass') continue;
    if (t.file !== file) {
      if (file !== undefined) lines.push('');
      file = t.file;
      lines.push(`${t.file ?? '(unknown file)'}:`);
    }
    lines.push(`${t.ref}: ${label(t)} (${formatDuration(t.durationMs)})`);
    if (t.message !== undefined)
      lines.push(`  ${t.line !== undefined ? `line ${t.line}: ` : ''}${t.message}`);
  }
  const { total, pass, fail, error } = report.summary;
  if (total === 0) return 'no tests found\n';
  if (lines.length > 0) lines.push('-'.repeat(80));
  lines.push(`${pass === total ? green('PASS') : 'PASS'}: ${pass}/${total}`);
  if (fail > 0) lines.push(`${red('FAIL')}: ${fail}/${total}`);
  if (error > 0) lines.push(`${yellow('ERROR')}: ${error}/${total}`);
  return `${lines.join('\n')}\n`;
}
