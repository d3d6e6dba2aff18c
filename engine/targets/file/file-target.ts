// The `file` target: writes the certificate, key, chain and fullchain as PEM files into a
// directory (relative to the deploy root, or absolute under targets.allowedRoots).
//
// - Default file names when `files` is absent: {name}.crt, {name}.key, {name}.chain.pem,
//   {name}.fullchain.pem. When `files` is given, only the kinds it lists are written.
// - Each file is replaced atomically (temp file, fsync, rename). The key is always 0600; the
//   others get `fileMode` (default 0644). Missing directories are created 0755.
// - keepPrevious (default true) keeps what was there as `<file>.prev`; rollback restores it
//   (contract in file-ops.ts).
// - PKCS#12 (`files.pkcs12`, no default name) is written 0600, encrypted with the password from
//   `pkcs12Password` (a secretRef resolved through ctx.secrets; without either, deploy throws an
//   ExternalError before writing anything). Layout and defaults: crypto/pkcs12.ts. Verify
//   decrypts it and checks the leaf and chain; rollback recognises it by its leaf (contents.ts).
import type { Files } from '../../model/types.generated.ts';
import { specOf } from '../spec.ts';
import type { TargetContext, TargetProvider } from '../types.ts';
import { observeFiles, readBackFiles, verifyFiles } from './file-check.ts';
import type { WriteOptions } from './file-ops.ts';
import { deployFiles, removeFiles, rollbackFiles } from './file-ops.ts';
import type { FileLayout } from './layout.ts';
import { parseFileMode, resolveLayout } from './layout.ts';
import { pkcs12Output } from './pkcs12-output.ts';

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
    pkcs12: pkcs12Output(ctx),
  };
}

export const fileTarget: TargetProvider = {
  async deploy(ctx, bundle) {
    const files = await deployFiles(layoutOf(ctx, bundle.name), bundle, writeOptions(ctx));
    return { files };
  },
  verify(ctx, bundle) {
    return verifyFiles(layoutOf(ctx, bundle.name), bundle, pkcs12Output(ctx));
  },
  async rollback(ctx, bundle) {
    await rollbackFiles(layoutOf(ctx, bundle.name), bundle, writeOptions(ctx));
    return true;
  },
  remove(ctx, name) {
    return removeFiles(layoutOf(ctx, name));
  },
  observe(ctx, name) {
    return observeFiles(layoutOf(ctx, name), pkcs12Output(ctx));
  },
  readBack(ctx, name) {
    return readBackFiles(layoutOf(ctx, name), pkcs12Output(ctx));
  },
};
