// `certops policy build`: compiles the policies folder into an OPA-format bundle.tar.gz
// (through the content-addressed cache) and writes it to --out.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { ExitCode } from '../../errors.ts';
import { buildPolicyBundle, type BuiltBundle } from '../../policy/bundle/build.ts';
import { defaultPolicyCacheDir } from '../../policy/bundle/cache.ts';
import { displayPath } from '../../policy/bundle/files.ts';
import { ensureDir, writeAtomic } from '../../targets/file/atomic.ts';
import { writeJson, type Runner } from '../command.ts';
import type { Context } from '../context.ts';

export interface PolicyDirOptions {
  policies?: string;
  compiler?: 'regoc' | 'opa';
}

interface BuildVerbOptions extends PolicyDirOptions {
  out?: string;
}

export const compilerOption = (): Option =>
  new Option('--compiler <name>', 'regoc (built in) or opa (the `opa` binary on PATH)')
    .choices(['regoc', 'opa'])
    .default('regoc');

export const policiesOption = (): Option =>
  new Option('--policies <dir>', 'the policies folder (default: <repo>/policies)');

export const CACHE_HELP =
  'Bundles are cached by content in $CERTOPS_CACHE_DIR (default $CERTOPS_HOME/cache/policy, i.e. ~/.certops/cache/policy); an unchanged policies folder is not recompiled.';

/** Builds with the CLI's defaults: policies folder, cache dir, repo-relative names. */
export function buildFromCli(
  ctx: Context,
  opts: PolicyDirOptions,
  tests: boolean,
): Promise<BuiltBundle> {
  return buildPolicyBundle({
    policyDir: path.resolve(ctx.io.cwd, opts.policies ?? path.join(ctx.repo, 'policies')),
    cacheDir: defaultPolicyCacheDir(ctx.io.env, homedir()),
    compiler: opts.compiler ?? 'regoc',
    tests,
    repoRoot: ctx.repo,
  });
}

export function policyBuildCommand(runner: Runner): Command {
  return new Command('build')
    .summary('compile the policies into an OPA-format bundle.tar.gz')
    .description(
      'Compiles every *.rego under the policies folder (not *_test.rego) with its data.json files ' +
        'into a bundle like `opa build -t wasm` writes: /.manifest, /policy.wasm, /data.json and ' +
        'the sources, with the entrypoint certops/results. The same inputs give a byte-identical ' +
        `bundle. ${CACHE_HELP}`,
    )
    .option(
      '-o, --out <file>',
      'where to write the bundle (default: <repo>/.certops/policy/bundle.tar.gz)',
    )
    .addOption(compilerOption())
    .addOption(policiesOption())
    .addHelpText(
      'after',
      '\nExamples:\n  certops policy build\n  certops policy build --out dist/bundle.tar.gz --json\n' +
        '  certops policy build --compiler opa --policies ./policies\n\n' +
        'Exit codes: 0 built, 3 a policy does not compile (file:line:col) or data files conflict,\n' +
        '            1 `opa` missing or failing (--compiler opa), or the bundle cannot be written.',
    )
    .action(runner.action<BuildVerbOptions>(runBuild));
}

async function runBuild(ctx: Context, opts: BuildVerbOptions): Promise<ExitCode> {
  const t0 = performance.now();
  const built = await buildFromCli(ctx, opts, false);
  const out = path.resolve(
    ctx.io.cwd,
    opts.out ?? path.join(ctx.repo, '.certops', 'policy', 'bundle.tar.gz'),
  );
  await ensureDir(path.dirname(out));
  await writeAtomic(out, built.bytes, 0o644);
  const ms = Math.round((performance.now() - t0) * 10) / 10;
  const sha256 = createHash('sha256').update(built.bytes).digest('hex');
  const shown = displayPath(out, ctx.repo);
  if (ctx.json) {
    writeJson(ctx, {
      ok: true,
      compiler: built.compiler,
      compilerVersion: built.compilerVersion,
      files: built.files,
      entrypoints: built.entrypoints,
      out: shown,
      bytes: built.bytes.length,
      sha256,
      hash: built.hash,
      revision: built.manifest.revision ?? '',
      cached: built.cached,
      durationMs: ms,
    });
    return ExitCode.Ok;
  }
  const { dim, green } = ctx.style;
  const how = built.cached ? 'from the cache' : `with ${built.compiler}`;
  ctx.io.stdout(`${green('Built')} ${built.files.length} policy files ${how} in ${ms} ms\n`);
  for (const f of built.files) ctx.io.stdout(`  ${f}\n`);
  ctx.io.stdout(`entrypoints: ${built.entrypoints.join(', ')}\n`);
  ctx.io.stdout(`wrote ${shown} (${formatSize(built.bytes.length)})\n`);
  ctx.io.stdout(dim(`sha256 ${sha256}\ncache key ${built.hash}${built.cached ? ' (hit)' : ''}\n`));
  return ExitCode.Ok;
}

function formatSize(n: number): string {
  return n < 1024 ? `${n} bytes` : `${(n / 1024).toFixed(1)} KiB`;
}
