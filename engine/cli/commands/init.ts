// `certops init`: scaffolds a new certs.d repository.
import { Command } from 'commander';
import { ExitCode, UsageError } from '../../errors.ts';
import { isInitialised, scaffold } from '../../init/scaffold.ts';
import { validateRepository } from '../../validate/validate-repo.ts';
import { writeJson, type Runner } from '../command.ts';
import type { Context } from '../context.ts';

interface InitOptions {
  force?: boolean;
  git?: boolean;
}

export function initCommand(runner: Runner): Command {
  return new Command('init')
    .summary('create a new certops repository (certops.yaml, certs.d/ with a starter layout)')
    .description(
      'Writes certops.yaml and a starter certs.d/ into the repository directory (--repo, default .):\n' +
        'a private CA issuer, a profile, a file target and one example certificate in a team folder.\n' +
        'Existing files are never overwritten. Runs `git init` when the directory is not a Git repository.',
    )
    .option('--force', 'add the missing starter files to an already initialised repository')
    .option('--no-git', 'do not create a Git repository')
    .addHelpText(
      'after',
      '\nExamples:\n  certops init --repo my-certs\n  cd my-certs && certops validate',
    )
    .action(runner.action<InitOptions>(runInit));
}

async function runInit(ctx: Context, opts: InitOptions): Promise<ExitCode> {
  if (!opts.force && (await isInitialised(ctx.repo))) {
    throw new UsageError(
      `${ctx.repo} already has certops.yaml or certs.d/`,
      'Use --force to add only the missing starter files.',
    );
  }
  const result = await scaffold(ctx.repo, { git: opts.git !== false });
  const report = await validateRepository(ctx.repo, { now: ctx.clock.now() });
  if (ctx.json) {
    writeJson(ctx, { ok: report.errors === 0, repo: ctx.repo, ...result, errors: report.errors });
  } else {
    for (const f of result.created) ctx.io.stdout(`${ctx.style.green('created')} ${f}\n`);
    for (const f of result.skipped) ctx.io.stdout(`${ctx.style.dim('kept   ')} ${f}\n`);
    if (result.gitInitialised)
      ctx.io.stdout(`${ctx.style.green('created')} Git repository (branch main)\n`);
    ctx.io.stdout(
      `\nNext:\n  cd ${ctx.repo}\n  certops validate                 # check the desired state\n` +
        '  certops validate --explain hello # see the effective spec of a certificate\n',
    );
  }
  return report.errors === 0 ? ExitCode.Ok : ExitCode.InvalidInput;
}
