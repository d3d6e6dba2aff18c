// The commander program: global options and the explicit list of verbs.
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import type { Runner } from './command.ts';
import { applyCommand } from './commands/apply.ts';
import { initCommand } from './commands/init.ts';
import { planCommand } from './commands/plan.ts';
import { policyCommand } from './commands/policy.ts';
import { statusCommand } from './commands/status.ts';
import { validateCommand } from './commands/validate.ts';

/** Every verb, in help order. Later verbs are added here and nowhere else. */
export const COMMANDS: readonly ((runner: Runner) => Command)[] = [
  initCommand,
  validateCommand,
  planCommand,
  applyCommand,
  statusCommand,
  policyCommand,
];

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function buildProgram(runner: Runner): Command {
  const program = new Command('certops')
    .description(
      'GitOps, policy-as-code certificate lifecycle management.\nDesired certificates live as YAML in certs.d/; see README.md.',
    )
    .version(pkg.version, '-V, --version')
    .option(
      '-C, --repo <dir>',
      'repository root holding certops.yaml and certs.d/ (default: $CERTOPS_REPO or .)',
    )
    .option('--json', 'machine-readable output on stdout')
    .option(
      '--now <time>',
      'pretend the time is this (RFC 3339 or YYYY-MM-DD); for plans and tests',
    )
    .addOption(new Option('--no-color', 'plain output without colours (also NO_COLOR=1)'))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => runner.io.stdout(s),
      writeErr: (s) => runner.io.stderr(s),
    })
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 error, 2 changes, 3 invalid input, 4 policy denied,\n' +
        '            5 gate not met, 6 lock held, 7 partial apply.',
    );
  for (const make of COMMANDS) program.addCommand(routeOutput(make(runner), runner));
  return program;
}

/** Output through the injected IO and errors as exceptions, for a verb and all its subcommands. */
function routeOutput(cmd: Command, runner: Runner): Command {
  cmd.exitOverride().configureOutput({
    writeOut: (s) => runner.io.stdout(s),
    writeErr: (s) => runner.io.stderr(s),
  });
  cmd.showSuggestionAfterError(true);
  for (const sub of cmd.commands) routeOutput(sub, runner);
  return cmd;
}
