// Reads and checks the records of a state tree. Blob texts are cached by object id (content
// addressed, so never stale); the cache keeps only the blobs of the tree read last.
import { gitFs as fs } from '../util/iso-git.ts';
import { isoGit } from '../util/iso-git.ts';
import type { GitCtx, StateTree } from './state-tree.ts';
import { parseInventoryFile, parseOperationFile } from './state-files.ts';
import type { InventoryRecord, Operation } from './types.ts';

export class StateReader {
  private texts = new Map<string, string>();

  async text(ctx: GitCtx, oid: string): Promise<string> {
    const cached = this.texts.get(oid);
    if (cached !== undefined) return cached;
    const { blob } = await (
      await isoGit()
    ).readBlob({ fs, gitdir: ctx.gitdir, oid, cache: ctx.cache });
    const text = Buffer.from(blob).toString('utf8');
    this.texts.set(oid, text);
    return text;
  }

  /** Loads the texts of `entries` a batch at a time (overlapping file reads and inflation). */
  private async prefetch(ctx: GitCtx, entries: Iterable<{ oid: string }>): Promise<void> {
    const missing = [...entries].map((e) => e.oid).filter((oid) => !this.texts.has(oid));
    for (let i = 0; i < missing.length; i += 32) {
      await Promise.all(missing.slice(i, i + 32).map((oid) => this.text(ctx, oid)));
    }
  }

  /** Drops cached texts that are not in `tree`. */
  private retain(tree: StateTree): void {
    const keep = new Set<string>();
    for (const section of Object.values(tree.sections))
      for (const e of section.values()) keep.add(e.oid);
    for (const oid of this.texts.keys()) if (!keep.has(oid)) this.texts.delete(oid);
  }

  async inventory(ctx: GitCtx, tree: StateTree): Promise<Map<string, InventoryRecord>> {
    this.retain(tree);
    await this.prefetch(ctx, tree.sections.inventory.values());
    const out = new Map<string, InventoryRecord>();
    for (const [name, entry] of sorted(tree.sections.inventory)) {
      out.set(name, parseInventoryFile(ctx.branch, name, await this.text(ctx, entry.oid)));
    }
    return out;
  }

  /** All operations of the tree, in id order. */
  async operations(ctx: GitCtx, tree: StateTree): Promise<Operation[]> {
    this.retain(tree);
    await this.prefetch(ctx, tree.sections.journal.values());
    const out: Operation[] = [];
    for (const [id, entry] of sorted(tree.sections.journal)) {
      out.push(parseOperationFile(ctx.branch, id, await this.text(ctx, entry.oid)));
    }
    return out;
  }
}

function sorted<T>(map: Map<string, T>): [string, T][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
