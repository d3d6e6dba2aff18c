// Deploy, roll back and remove a bundle's files in a FileLayout. Shared by the file and nginx
// targets.
//
// Contract for `.prev` (keepPrevious):
// - deploy saves what each file held just before this deploy as `<file>.prev` (same mode rules),
//   and deletes a stale `<file>.prev` when the file did not exist yet;
// - rollback touches only files that hold exactly what this bundle wrote: each gets its `.prev`
//   back, or is removed when it had no previous version. A second rollback is a no-op.
// - a deploy that fails halfway rolls back what it wrote before throwing, so a failed deploy
//   leaves the previous version in place (the applier relies on this).
// Without keepPrevious, deploy deletes stale `.prev` files and rollback refuses (nothing to restore).
// PKCS#12 files need `opts.pkcs12` (contents.ts says how they are written and recognised).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ExternalError } from '../../errors.ts';
import type { DeployBundle } from '../types.ts';
import { ensureDir, readIfExists, syncDir, writeAtomic } from './atomic.ts';
import type { WriteOptions } from './contents.ts';
import { dataFor, modeOf, wroteIt } from './contents.ts';
import type { FileKind, FileLayout } from './layout.ts';

export type { Pkcs12Writer, WriteOptions } from './contents.ts';

export const PREV_SUFFIX = '.prev';

type Entry = [FileKind, string];

/** The layout's files; a pkcs12 file needs a Pkcs12Writer (the nginx target has none). */
function entries(layout: FileLayout, opts: WriteOptions): Entry[] {
  if (layout.files.pkcs12 !== undefined && opts.pkcs12 === undefined) {
    throw new ExternalError('this target does not write PKCS#12 files (files.pkcs12)', {
      hint: 'Remove files.pkcs12, and write the PKCS#12 file with a file target instead.',
    });
  }
  return Object.entries(layout.files) as Entry[];
}

/** Runs a file-system step, turning errno failures into an ExternalError naming the path. */
export async function fsStep<T>(what: string, file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ExternalError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ExternalError(`cannot ${what} ${file}: ${code}`, {
      hint: 'Check that the directory exists or can be created, and that certops may write there.',
      cause: err,
    });
  }
}

/** Writes every file of the layout atomically; returns the absolute paths written. */
export async function deployFiles(
  layout: FileLayout,
  bundle: DeployBundle,
  opts: WriteOptions,
): Promise<string[]> {
  const list = entries(layout, opts);
  // Everything is encoded before the first write: a missing password writes nothing.
  const data = await Promise.all(list.map(([kind]) => dataFor(kind, bundle, opts)));
  const written: string[] = [];
  try {
    for (const [i, [kind, file]] of list.entries()) {
      await deployOne(file, data[i] as string | Uint8Array, modeOf(kind, opts), opts.keepPrevious);
      written.push(file);
    }
  } catch (err) {
    if (!opts.keepPrevious || !(err instanceof ExternalError)) throw err;
    // Only the files already replaced: the failing one was not (writeAtomic renames last).
    const replaced = Object.entries(layout.files).filter(([, f]) => written.includes(f));
    const undo = { dir: layout.dir, files: Object.fromEntries(replaced) };
    const undone = await rollbackFiles(undo, bundle, opts).then(
      () => 'the files written before were restored',
      (e: unknown) => `restoring the files written before failed too: ${(e as Error).message}`,
    );
    throw new ExternalError(`${err.message} (${undone})`, { hint: err.hint, cause: err });
  }
  await syncDirs(written);
  return written;
}

async function deployOne(
  file: string,
  content: string | Uint8Array,
  mode: number,
  keepPrevious: boolean,
): Promise<void> {
  const parent = path.dirname(file); // file names may contain sub-directories
  await fsStep('create directory', parent, () => ensureDir(parent));
  const prev = file + PREV_SUFFIX;
  const old = await fsStep('read', file, () => readIfExists(file));
  if (keepPrevious && old !== undefined) {
    await fsStep('write', prev, () => writeAtomic(prev, old, mode));
  } else {
    await fsStep('remove', prev, () => rm(prev, { force: true }));
  }
  await fsStep('write', file, () => writeAtomic(file, content, mode));
}

async function syncDirs(files: string[]): Promise<void> {
  for (const dir of new Set(files.map((f) => path.dirname(f)))) await syncDir(dir);
}

/**
 * Puts back what each file held before `bundle` was deployed (see the contract above). Goes on
 * past a file it cannot restore and throws at the end, naming every such file.
 */
export async function rollbackFiles(
  layout: FileLayout,
  bundle: DeployBundle,
  opts: WriteOptions,
): Promise<void> {
  const list = entries(layout, opts);
  if (!opts.keepPrevious) {
    throw new ExternalError('cannot roll back: this target does not keep previous versions', {
      hint: 'Set keepPrevious: true on the target to allow rollbacks, or deploy the previous certificate again.',
    });
  }
  const failed: string[] = [];
  for (const [kind, file] of list) {
    try {
      await restoreOne(file, (current) => wroteIt(kind, current, bundle, opts), modeOf(kind, opts));
    } catch (err) {
      failed.push(err instanceof Error ? err.message : String(err));
    }
  }
  await syncDirs(list.map(([, f]) => f));
  if (failed.length > 0) {
    throw new ExternalError(`rollback incomplete: ${failed.join('; ')}`, {
      hint: 'Fix the files named above by hand, or deploy a good certificate again.',
    });
  }
}

async function restoreOne(
  file: string,
  isOurs: (current: Buffer) => Promise<boolean>,
  mode: number,
): Promise<void> {
  const current = await fsStep('read', file, () => readIfExists(file));
  if (current === undefined || !(await isOurs(current))) return; // not written by this deploy
  const prevFile = file + PREV_SUFFIX;
  const prev = await fsStep('read', prevFile, () => readIfExists(prevFile));
  if (prev === undefined) await fsStep('remove', file, () => rm(file, { force: true }));
  else await fsStep('restore', file, () => writeAtomic(file, prev, mode));
}

/** Deletes every file of the layout and its `.prev`; absent files are fine. */
export async function removeFiles(layout: FileLayout): Promise<void> {
  for (const file of Object.values(layout.files)) {
    await fsStep('remove', file, () => rm(file, { force: true }));
    await fsStep('remove', file + PREV_SUFFIX, () => rm(file + PREV_SUFFIX, { force: true }));
  }
  await syncDirs(Object.values(layout.files));
}
