// Audit: walks every commit reachable from every ref (branches, the state branch, tags, remotes,
// HEAD) and every blob of their trees, reporting blobs that contain private-key material. Each
// distinct offending blob is reported once, with the first commit and path where the walk met it.
// Unreachable objects (reflogs, dangling commits) are not scanned.
import { gitFs as fs } from '../util/iso-git.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isoGit } from '../util/iso-git.ts';
import { findKeyMaterial } from './key-material.ts';
import { gitDirOf } from './repo.ts';

export interface KeyMaterialFinding {
  /** Commit whose tree holds the blob ('' when a ref points at a blob or tree directly). */
  commit: string;
  /** Path of the blob in that commit's tree (the ref name for a directly referenced object). */
  path: string;
  /** What was found, e.g. "PRIVATE KEY", "EC PRIVATE KEY", "PKCS#8 DER private key". */
  kind: string;
}

export async function scanHistoryForKeyMaterial(dir: string): Promise<KeyMaterialFinding[]> {
  const gitdir = await gitDirOf(dir);
  const cache = {};
  const found: KeyMaterialFinding[] = [];
  const seen = new Set<string>(); // commits, trees and blobs already visited
  const shallow = new Set(
    (await readFile(path.join(gitdir, 'shallow'), 'utf8').catch(() => '')).split('\n'),
  );

  async function scanBlob(oid: string, commit: string, where: string): Promise<void> {
    if (seen.has(oid)) return;
    seen.add(oid);
    const { blob } = await (await isoGit()).readBlob({ fs, gitdir, oid, cache });
    const kind = findKeyMaterial(blob);
    if (kind !== null) found.push({ commit, path: where, kind });
  }

  async function scanTree(oid: string, commit: string, prefix: string): Promise<void> {
    if (seen.has(oid)) return;
    seen.add(oid);
    const { tree } = await (await isoGit()).readTree({ fs, gitdir, oid, cache });
    for (const e of tree) {
      if (e.type === 'tree') await scanTree(e.oid, commit, `${prefix}${e.path}/`);
      else if (e.type === 'blob') await scanBlob(e.oid, commit, prefix + e.path);
    }
  }

  async function walkCommits(tip: string): Promise<void> {
    const stack = [tip];
    for (let oid = stack.pop(); oid !== undefined; oid = stack.pop()) {
      if (seen.has(oid)) continue;
      seen.add(oid);
      const { commit } = await (await isoGit()).readCommit({ fs, gitdir, oid, cache });
      await scanTree(commit.tree, oid, '');
      if (!shallow.has(oid)) stack.push(...[...commit.parent].reverse());
    }
  }

  const refs = (await (await isoGit()).listRefs({ fs, gitdir, filepath: 'refs' }))
    .filter((r) => !r.endsWith('.lock') && !r.endsWith('^{}'))
    .map((r) => `refs/${r}`);
  for (const ref of ['HEAD', ...refs]) {
    let oid: string;
    try {
      oid = await (await isoGit()).resolveRef({ fs, gitdir, ref });
    } catch (err) {
      if (ref === 'HEAD' && err instanceof (await isoGit()).Errors.NotFoundError) continue; // unborn HEAD
      throw err;
    }
    // Peel annotated tags down to what they point at.
    for (;;) {
      const obj = await (await isoGit()).readObject({ fs, gitdir, oid, cache });
      if (obj.type === 'commit') await walkCommits(oid);
      else if (obj.type === 'tree') await scanTree(oid, '', `${ref}:`);
      else if (obj.type === 'blob') await scanBlob(oid, '', ref);
      if (obj.type !== 'tag') break;
      oid = (await (await isoGit()).readTag({ fs, gitdir, oid, cache })).tag.object;
    }
  }
  return found;
}
