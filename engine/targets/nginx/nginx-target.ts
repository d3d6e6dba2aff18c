// The `nginx` target: the file deploy (default files {name}.fullchain.pem and {name}.key, the
// pair nginx's ssl_certificate / ssl_certificate_key want), then `configTest` (default
// `nginx -t`) and `reload` (default `nginx -s reload`).
//
// Contract:
// - deploy: when the config test or the reload fails, the previous files are restored before the
//   ExternalError (with nginx's stderr tail) is thrown, so nginx keeps serving the old certificate
//   and the files agree with it. Previous versions are always kept as `<file>.prev`.
// - verify: with `verify:`, polls the TLS endpoint until the new fingerprint is served (timeout
//   default 10s); without it, reads the files back like the file target.
// - rollback: restores the previous files, then config test and reload, so the old certificate is
//   live again.
// - remove: deletes the files, then config test and reload. If the nginx configuration still
//   names the files, the test fails and nothing is reloaded (nginx keeps its loaded config).
// - observe: the served fingerprint with `verify:` (the files when unreachable); never throws.
import type { Files } from '../../model/types.generated.ts';
import { observeFiles, readBackFiles, verifyFiles } from '../file/file-check.ts';
import { deployFiles, removeFiles, rollbackFiles } from '../file/file-ops.ts';
import type { WriteOptions } from '../file/file-ops.ts';
import { parseFileMode, resolveLayout } from '../file/layout.ts';
import type { FileLayout } from '../file/layout.ts';
import { specOf } from '../spec.ts';
import { observeServed, verifyServed } from '../tls-check.ts';
import type { TargetContext, TargetProvider } from '../types.ts';
import { runNginxStep } from './steps.ts';

export const NGINX_DEFAULTS: Files = { fullchain: '{name}.fullchain.pem', key: '{name}.key' };
export const DEFAULT_CONFIG_TEST = ['nginx', '-t'] as const;
export const DEFAULT_RELOAD = ['nginx', '-s', 'reload'] as const;

function layoutOf(ctx: TargetContext, name: string): FileLayout {
  return resolveLayout(ctx, specOf(ctx, 'nginx'), name, NGINX_DEFAULTS);
}

function writeOptions(ctx: TargetContext): WriteOptions {
  return { fileMode: parseFileMode(specOf(ctx, 'nginx').fileMode, 0o644), keepPrevious: true };
}

/** Config test, then reload; `undo` runs before the error is thrown when either fails. */
async function testAndReload(
  ctx: TargetContext,
  why: string,
  undo?: () => Promise<void>,
): Promise<void> {
  const spec = specOf(ctx, 'nginx');
  await runNginxStep(
    ctx,
    spec.configTest ?? DEFAULT_CONFIG_TEST,
    `configuration test ${why}`,
    undo,
  );
  await runNginxStep(ctx, spec.reload ?? DEFAULT_RELOAD, `reload ${why}`, undo);
}

export const nginxTarget: TargetProvider = {
  async deploy(ctx, bundle) {
    const layout = layoutOf(ctx, bundle.name);
    const opts = writeOptions(ctx);
    const files = await deployFiles(layout, bundle, opts);
    await testAndReload(ctx, `after writing ${bundle.name}`, () =>
      rollbackFiles(layout, bundle, opts),
    );
    return { files };
  },

  async verify(ctx, bundle) {
    const spec = specOf(ctx, 'nginx');
    if (spec.verify) await verifyServed(ctx, spec.verify, bundle);
    else await verifyFiles(layoutOf(ctx, bundle.name), bundle);
  },

  async rollback(ctx, bundle) {
    await rollbackFiles(layoutOf(ctx, bundle.name), bundle, writeOptions(ctx));
    await testAndReload(ctx, `after restoring the previous ${bundle.name}`);
    return true;
  },

  async remove(ctx, name) {
    await removeFiles(layoutOf(ctx, name));
    await testAndReload(
      ctx,
      `after removing ${name} (does the configuration still use its files?)`,
    );
  },

  async observe(ctx, name) {
    try {
      const spec = specOf(ctx, 'nginx');
      const files = await observeFiles(layoutOf(ctx, name));
      const served = spec.verify ? await observeServed(ctx, spec.verify) : undefined;
      return served === undefined ? files : { ...files, fingerprintSha256: served };
    } catch {
      return {};
    }
  },

  readBack(ctx, name) {
    return readBackFiles(layoutOf(ctx, name));
  },
};
