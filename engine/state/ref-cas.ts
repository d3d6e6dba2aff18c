// Compare-and-swap of a branch ref, using git's own ref-locking protocol: create `<ref>.lock`
// exclusively, check the current value, write the new value into the lock file, rename it over
// the ref. git and other certops processes see either the old or the new value, never a torn
// write, and two writers cannot both move the branch from the same expected commit.
import { gitFs as fs } from '../util/iso-git.ts';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isoGit } from '../util/iso-git.ts';
import { StateConflictError } from './errors.ts';

/** The commit a ref points at, or '' when the ref does not exist. */
export async function currentSha(gitdir: string, ref: string): Promise<string> {
  try {
    return await (await isoGit()).resolveRef({ fs, gitdir, ref });
  } catch (err) {
    if (err instanceof (await isoGit()).Errors.NotFoundError) return '';
    throw err;
  }
}

/** Moves `refs/heads/<branch>` from `expected` ('' = absent) to `next`, or throws
 * StateConflictError and leaves the ref as it is. */
export async function updateBranchIfUnchanged(
  gitdir: string,
  branch: string,
  expected: string,
  next: string,
): Promise<void> {
  const ref = `refs/heads/${branch}`;
  const refPath = path.join(gitdir, ref);
  const lockPath = `${refPath}.lock`;
  await mkdir(path.dirname(refPath), { recursive: true });
  const handle = await open(lockPath, 'wx').catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
    const actual = await currentSha(gitdir, ref);
    throw new StateConflictError(
      branch,
      expected,
      actual,
      `state branch ${branch} is being updated by another writer (${lockPath} exists; ` +
        'if no certops or git process is running, it was left by a crash: remove it)',
    );
  });
  let renamed = false;
  try {
    const actual = await currentSha(gitdir, ref);
    if (actual !== expected) throw new StateConflictError(branch, expected, actual);
    await handle.writeFile(`${next}\n`);
    await handle.close();
    await rename(lockPath, refPath);
    renamed = true;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await unlink(lockPath).catch(() => undefined);
    }
  }
}
