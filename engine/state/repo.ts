// Locating the repository. certops works on a normal repository with a work tree at `dir`; all
// state lives in `dir/.git` (objects, the state branch ref, the apply lock).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ExternalError, UsageError } from '../errors.ts';

/**
 * The git directory of the repository at `dir`. No repository is a setup mistake, not a host
 * failure: UsageError (exit 3) with what to do.
 */
export async function gitDirOf(dir: string): Promise<string> {
  const gitdir = path.join(dir, '.git');
  const st = await stat(gitdir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
    throw new ExternalError(`cannot read ${gitdir}: ${err.message}`, { cause: err });
  });
  if (st === null) {
    throw new UsageError(
      `${dir} is not a Git repository (no .git)`,
      'Run `git init` there (certops init does it), or pass --repo with the repository root.',
    );
  }
  if (!st.isDirectory()) {
    throw new UsageError(
      `${gitdir} is not a directory`,
      'Linked worktrees and submodules are not supported; run certops in the main checkout.',
    );
  }
  return gitdir;
}

export const SHA = /^[0-9a-f]{40}$/;
