// The tree of the state branch: `inventory/<name>.json` and `journal/<id>.json`, other top-level
// entries kept untouched. Reading checks every entry name (the branch is untrusted); writing
// rebuilds only the subtrees that changed, from the previous commit's tree.
import fs from 'node:fs';
import { isoGit } from '../util/iso-git.ts';
import type { TreeEntry } from 'isomorphic-git';
import { StateCorruptError } from './errors.ts';
import { isSafeName } from './names.ts';

export type Section = 'inventory' | 'journal';
export const SECTIONS: readonly Section[] = ['inventory', 'journal'];

export interface StateTree {
  /** Commit this tree was read from ('' for none). */
  head: string;
  root: TreeEntry[];
  /** Per section: record name (file name without .json) → blob entry. */
  sections: Record<Section, Map<string, TreeEntry>>;
}

export interface GitCtx {
  gitdir: string;
  branch: string;
  cache: object;
}

export function emptyTree(): StateTree {
  return { head: '', root: [], sections: { inventory: new Map(), journal: new Map() } };
}

export async function loadStateTree(ctx: GitCtx, head: string): Promise<StateTree> {
  if (head === '') return emptyTree();
  const { gitdir, cache } = ctx;
  const { commit } = await (await isoGit()).readCommit({ fs, gitdir, oid: head, cache });
  const { tree: root } = await (await isoGit()).readTree({ fs, gitdir, oid: commit.tree, cache });
  const out: StateTree = { head, root, sections: { inventory: new Map(), journal: new Map() } };
  for (const section of SECTIONS) {
    const entry = root.find((e) => e.path === section);
    if (entry === undefined) continue;
    if (entry.type !== 'tree') throw new StateCorruptError(ctx.branch, section, 'not a directory');
    const { tree } = await (await isoGit()).readTree({ fs, gitdir, oid: entry.oid, cache });
    for (const e of tree) {
      const where = `${section}/${e.path}`;
      const name = e.path.endsWith('.json') ? e.path.slice(0, -5) : '';
      if (e.mode !== '100644' || !isSafeName(name)) {
        throw new StateCorruptError(ctx.branch, where, 'unexpected entry (want <name>.json files)');
      }
      out.sections[section].set(name, e);
    }
  }
  return out;
}

/** Writes the changed blobs and subtrees; returns the new root tree id and the updated tree.
 * `changes` maps section → name → new file content (null deletes). */
export async function writeStateTree(
  ctx: GitCtx,
  base: StateTree,
  changes: Record<Section, Map<string, string | null>>,
): Promise<{ rootOid: string; tree: Omit<StateTree, 'head'> }> {
  const { gitdir } = ctx;
  const root = new Map(base.root.map((e) => [e.path, e]));
  const sections = { ...base.sections };
  for (const section of SECTIONS) {
    if (changes[section].size === 0) continue;
    const entries = new Map(base.sections[section]);
    const upserts = [...changes[section]].filter((c): c is [string, string] => c[1] !== null);
    for (const [name, content] of changes[section]) if (content === null) entries.delete(name);
    // Blobs are written a batch at a time; their order does not matter, the tree sorts them.
    for (let i = 0; i < upserts.length; i += 32) {
      const batch = upserts.slice(i, i + 32);
      const git = await isoGit();
      const oids = await Promise.all(
        batch.map(([, text]) => git.writeBlob({ fs, gitdir, blob: Buffer.from(text, 'utf8') })),
      );
      batch.forEach(([name], j) => {
        entries.set(name, {
          mode: '100644',
          path: `${name}.json`,
          oid: oids[j] ?? '',
          type: 'blob',
        });
      });
    }
    sections[section] = entries;
    if (entries.size === 0) {
      root.delete(section);
      continue;
    }
    const oid = await (await isoGit()).writeTree({ fs, gitdir, tree: [...entries.values()] });
    root.set(section, { mode: '040000', path: section, oid, type: 'tree' });
  }
  const rootEntries = [...root.values()];
  const rootOid = await (await isoGit()).writeTree({ fs, gitdir, tree: rootEntries });
  return { rootOid, tree: { root: rootEntries, sections } };
}
