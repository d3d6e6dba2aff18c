// `certops policy ...`: the policy compiler's verbs: `build` (policies -> bundle.tar.gz), `test`
// (the Rego test rules) and `conformance` (OPA's own test cases through certops' compiler).
import path from 'node:path';
import { Command } from 'commander';
import { ExitCode, ExternalError } from '../../errors.ts';
import { CONFORMANCE_ENGINE } from '../../policy/conformance/engine.ts';
import { formatReport } from '../../policy/conformance/report.ts';
import { runConformance } from '../../policy/conformance/runner.ts';
import { writeJson, type Runner } from '../command.ts';
import { policyDiffCommand } from './policy-diff.ts';
import type { Context } from '../context.ts';
import { policyBuildCommand } from './policy-build.ts';
import { policyTestCommand } from './policy-test.ts';

export function policyCommand(runner: Runner): Command {
  const policy = new Command('policy').summary(
    'the Rego policies: build the bundle, run their tests, check the compiler',
  );
  policy.addCommand(policyBuildCommand(runner));
  policy.addCommand(policyTestCommand(runner));
  policy
    .command('conformance')
    .summary("run OPA's conformance cases through certops' Rego compiler")
    .description(
      "Runs every *.yaml case file under <dir> (OPA's format: modules, query, data, input, want_result, want_error, sort_bindings) and judges each by OPA's rules. Each case is pass, wrong or unsupported (a construct the compiler does not implement yet, refused at compile time). Unsupported cases are listed, never counted as passing. Exit 0 when no case is wrong, 1 otherwise.",
    )
    .argument('<dir>', 'directory of OPA conformance case files (e.g. ../shared/opa-conformance)')
    .addHelpText(
      'after',
      '\nExamples:\n  certops policy conformance ../shared/opa-conformance\n  certops policy conformance ./cases --json',
    )
    .action(runner.action<object>(runConformanceVerb));
  policy.addCommand(policyDiffCommand(runner));
  return policy;
}

async function runConformanceVerb(ctx: Context, _opts: object, args: string[]): Promise<ExitCode> {
  const dir = path.resolve(ctx.io.cwd, args[0] ?? '.');
  const { report } = await runConformance(dir, CONFORMANCE_ENGINE);
  if (ctx.json) writeJson(ctx, report);
  else ctx.io.stdout(formatReport(report).replace(/\n?$/, '\n'));
  if (report.totals.wrong > 0) {
    throw new ExternalError(`${report.totals.wrong} conformance case(s) gave a wrong answer`, {
      hint: 'A wrong answer is a compiler bug: make the construct unsupported or fix it.',
    });
  }
  return ExitCode.Ok;
}
