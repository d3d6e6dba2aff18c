// `certops init`: scaffolds a new certs.d repository; `--ca` creates the private CA keys.
import { Command } from 'commander';
import { webCryptoKeyFactory } from '../../crypto/keys.ts';
import { ExitCode, UsageError } from '../../errors.ts';
import { isInitialised, scaffold, type ScaffoldResult } from '../../init/scaffold.ts';
import type { ModelObject } from '../../model/object.ts';
import { validateRepository } from '../../validate/validate-repo.ts';
import { writeJson, type Runner } from '../command.ts';
import type { Context } from '../context.ts';
import { homeOf, loadValidModel } from '../lifecycle.ts';

interface InitOptions {
  force?: boolean;
  git?: boolean;
  ca?: boolean;
  issuer?: string;
}

interface CaResult {
  issuer: string;
  created: boolean;
  dir: string;
}

export function initCommand(runner: Runner): Command {
  return new Command('init')
    .summary('create a new certops repository; --ca creates the private CA')
    .description(
      'Writes certops.yaml and a starter certs.d/ into the repository directory (--repo, default .): ' +
        'a private CA issuer, a profile, a file target and one example certificate in a team folder. ' +
        'Existing files are never overwritten. Runs `git init` when the directory is not a Git repository.\n\n' +
        'With --ca, also creates the root and intermediate CA (ECDSA P-384 unless the Issuer says ' +
        'otherwise) of every Issuer of type ca, keys in $CERTOPS_HOME (default ~/.certops), mode 0600, ' +
        'never in the repository. An existing CA is kept as it is.',
    )
    .option('--force', 'add the missing starter files to an already initialised repository')
    .option('--no-git', 'do not create a Git repository')
    .option('--ca', 'create the private CA of every Issuer of type ca (or of --issuer)')
    .option('--issuer <name>', 'with --ca: only this issuer')
    .addHelpText(
      'after',
      '\nExamples:\n  certops init --repo my-certs\n  certops init --ca\n  cd my-certs && certops validate',
    )
    .action(runner.action<InitOptions>(runInit));
}

async function runInit(ctx: Context, opts: InitOptions): Promise<ExitCode> {
  const initialised = await isInitialised(ctx.repo);
  let result: ScaffoldResult | undefined;
  if (!initialised || opts.force) result = await scaffold(ctx.repo, { git: opts.git !== false });
  else if (!opts.ca) {
    throw new UsageError(
      `${ctx.repo} already has certops.yaml or certs.d/`,
      'Use --force to add only the missing starter files, or --ca to create the private CA.',
    );
  }
  const report = await validateRepository(ctx.repo, { now: ctx.clock.now() });
  const cas = opts.ca ? await createCas(ctx, opts.issuer) : [];
  if (ctx.json) {
    writeJson(ctx, {
      ok: report.errors === 0,
      repo: ctx.repo,
      created: result?.created ?? [],
      skipped: result?.skipped ?? [],
      gitInitialised: result?.gitInitialised ?? false,
      ca: cas,
      errors: report.errors,
    });
  } else {
    for (const f of result?.created ?? []) ctx.io.stdout(`${ctx.style.green('created')} ${f}\n`);
    for (const f of result?.skipped ?? []) ctx.io.stdout(`${ctx.style.dim('kept   ')} ${f}\n`);
    if (result?.gitInitialised)
      ctx.io.stdout(`${ctx.style.green('created')} Git repository (branch main)\n`);
    for (const c of cas)
      ctx.io.stdout(
        `${c.created ? ctx.style.green('created') : ctx.style.dim('kept   ')} private CA "${c.issuer}" in ${c.dir}\n`,
      );
    if (result) {
      ctx.io.stdout(
        `\nNext:\n  cd ${ctx.repo}\n  certops validate                 # check the desired state\n` +
          '  certops init --ca                # create the private CA (keys outside the repository)\n' +
          '  certops plan && certops apply    # issue and deploy\n',
      );
    }
  }
  return report.errors === 0 ? ExitCode.Ok : ExitCode.InvalidInput;
}

async function createCas(ctx: Context, only: string | undefined): Promise<CaResult[]> {
  const model = await loadValidModel(ctx);
  const issuers = model.objects.filter(
    (o): o is ModelObject<'Issuer'> =>
      o.kind === 'Issuer' && (only === undefined || o.name === only),
  );
  const cas = issuers.filter((o) => o.value.spec.type === 'ca');
  if (cas.length === 0) {
    throw new UsageError(
      only ? `no Issuer "${only}" of type ca in certs.d` : 'no Issuer of type ca in certs.d',
      'Declare one (kind: Issuer, spec.type: ca) first.',
    );
  }
  const out: CaResult[] = [];
  for (const o of cas) {
    const spec = o.value.spec;
    if (spec.type !== 'ca') continue;
    // The CA code (X.509 stack) loads only when a CA is created.
    const { initCa } = await import('../../issuers/ca/init.ts');
    const r = await initCa({
      home: homeOf(ctx),
      issuerName: o.name,
      spec,
      clock: ctx.clock,
      keys: webCryptoKeyFactory,
    });
    out.push({ issuer: o.name, created: r.created, dir: r.dir });
  }
  return out;
}
