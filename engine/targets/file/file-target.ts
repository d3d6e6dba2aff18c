// The `file` target: writes the certificate, key, chain and fullchain as PEM files into a
// directory (relative to the deploy root, or absolute under targets.allowedRoots).
//
// - Default file names when `files` is absent: {name}.crt, {name}.key, {name}.chain.pem,
//   {name}.fullchain.pem. When `files` is given, only the kinds it lists are written.
// - Each file is replaced atomically (temp file, fsync, rename). The key is always 0600; the
//   others get `fileMode` (default 0644). Missing directories are created 0755.
// - keepPrevious (default true) keeps what was there as `<file>.prev`; rollback restores it
//   (contract in file-ops.ts).
// - PKCS#12 (`files.pkcs12`) is refused with "pkcs12 output is not supported yet": the schema has
//   no password for the bundle, and an unprotected PFX is not something to emit silently.
import type { Files } from '../../model/types.generated.ts';
import { specOf } from '../spec.ts';
import type { TargetContext, TargetProvider } from '../types.ts';
import { observeFiles, readBackFiles, verifyFiles } from './file-check.ts';
import type { WriteOptions } from './file-ops.ts';
import { deployFiles, removeFiles, rollbackFiles } from './file-ops.ts';
import type { FileLayout } from './layout.ts';
import { parseFileMode, resolveLayout } from './layout.ts';

export const FILE_DEFAULTS: Files = {
  cert: '{name}.crt',
  key: '{name}.key',
  chain: '{name}.chain.pem',
  fullchain: '{name}.fullchain.pem',
};

export const DEFAULT_FILE_MODE = 0o644;

function layoutOf(ctx: TargetContext, name: string): FileLayout {
  return resolveLayout(ctx, specOf(ctx, 'file'), name, FILE_DEFAULTS);
}

function writeOptions(ctx: TargetContext): WriteOptions {
  const spec = specOf(ctx, 'file');
  return {
    fileMode: parseFileMode(spec.fileMode, DEFAULT_FILE_MODE),
    keepPrevious: spec.keepPrevious ?? true,
  };
}

export const fileTarget: TargetProvider = {
  async deploy(ctx, bundle) {
    const files = await deployFiles(layoutOf(ctx, bundle.name), bundle, writeOptions(ctx));
    return { files };
  },
  verify(ctx, bundle) {
    return verifyFiles(layoutOf(ctx, bundle.name), bundle);
  },
  async rollback(ctx, bundle) {
    await rollbackFiles(layoutOf(ctx, bundle.name), bundle, writeOptions(ctx));
    return true;
  },
  remove(ctx, name) {
    return removeFiles(layoutOf(ctx, name));
  },
  observe(ctx, name) {
    return observeFiles(layoutOf(ctx, name));
  },
  readBack(ctx, name) {
    return readBackFiles(layoutOf(ctx, name));
  },
};
