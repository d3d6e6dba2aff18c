// The tree of the state branch: `inventory/<name>.json` and `journal/<id>.json`, other top-level
// entries kept untouched. Reading checks every entry name (the branch is untrusted); writing
// rebuilds only the subtrees that changed, from the previous commit's tree.
import { gitFs as fs, isoGit } from '../util/iso-git.ts';
import type { TreeEntry } from 'isomorphic-git';
import { StateCorruptError } from './errors.ts';
import { treeContent, writeGitObject } from './git-objects.ts';
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

/** Writes blobs; returns their ids in input order. */
export async function writeBlobs(ctx: GitCtx, texts: readonly string[]): Promise<string[]> {
  const oids: string[] = [];
  for (const text of texts)
    oids.push(await writeGitObject(ctx.gitdir, 'blob', Buffer.from(text, 'utf8')));
  return oids;
}

/**
 * The tree after `changes` (section → name → blob id of the new content, null deletes), in
 * memory; `changed` names the sections whose subtree must be written.
 */
export function applyToTree(
  base: Omit<StateTree, 'head'>,
  changes: Record<Section, Map<string, string | null>>,
): { tree: Omit<StateTree, 'head'>; changed: Section[] } {
  const sections = { ...base.sections };
  const changed: Section[] = [];
  for (const section of SECTIONS) {
    if (changes[section].size === 0) continue;
    const entries = new Map(base.sections[section]);
    for (const [name, oid] of changes[section]) {
      if (oid === null) entries.delete(name);
      else entries.set(name, { mode: '100644', path: `${name}.json`, oid, type: 'blob' });
    }
    sections[section] = entries;
    changed.push(section);
  }
  return { tree: { root: base.root, sections }, changed };
}

/** Writes one tree object (a section's files, or the root); returns its id. */
export function writeTreeObject(ctx: GitCtx, entries: TreeEntry[]): Promise<string> {
  return writeGitObject(ctx.gitdir, 'tree', treeContent(entries));
}

/** Root entries with a section's subtree replaced (or removed, for an empty section: oid ''). */
export function withSection(
  root: readonly TreeEntry[],
  section: Section,
  oid: string,
): TreeEntry[] {
  const out = new Map(root.map((e) => [e.path, e]));
  if (oid === '') out.delete(section);
  else out.set(section, { mode: '040000', path: section, oid, type: 'tree' });
  return [...out.values()];
}
