// Locating the repository. certops works on a normal repository with a work tree at `dir`; all
// state lives in `dir/.git` (objects, the state branch ref, the apply lock).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ExternalError } from '../errors.ts';

/** The git directory of the repository at `dir`; ExternalError when there is none. */
export async function gitDirOf(dir: string): Promise<string> {
  const gitdir = path.join(dir, '.git');
  const st = await stat(gitdir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
    throw new ExternalError(`cannot read ${gitdir}: ${err.message}`, { cause: err });
  });
  if (st === null) {
    throw new ExternalError(`${dir} is not a Git repository (no .git)`, {
      hint: 'run `git init` (certops init does it)',
    });
  }
  if (!st.isDirectory()) {
    throw new ExternalError(`${gitdir} is not a directory`, {
      hint: 'Linked worktrees and submodules are not supported; run certops in the main checkout.',
    });
  }
  return gitdir;
}

export const SHA = /^[0-9a-f]{40}$/;
