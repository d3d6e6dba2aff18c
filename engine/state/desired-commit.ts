// The desired-state commit: HEAD of the repository's current branch, recorded with every change
// certops applies so the state branch says which commit of certs.d it came from.
import { gitFs as fs } from '../util/iso-git.ts';
import { isoGit } from '../util/iso-git.ts';
import { gitDirOf } from './repo.ts';

/** The commit id HEAD resolves to, or '' when the current branch has no commit yet. */
export async function desiredCommit(dir: string): Promise<string> {
  const gitdir = await gitDirOf(dir);
  try {
    return await (await isoGit()).resolveRef({ fs, gitdir, ref: 'HEAD' });
  } catch (err) {
    if (err instanceof (await isoGit()).Errors.NotFoundError) return '';
    throw err;
  }
}
