// The StateStore on a Git branch (default certops/state) that is never checked out: records are
// read from and written to the object database directly with isomorphic-git, so the work tree and
// the index are never touched. One commit per change; the branch moves by compare-and-swap.
import { gitFs as fs, isoGit } from '../util/iso-git.ts';
import type { Clock } from '../clock.ts';
import { StateConflictError, StateWriteRefusedError } from './errors.ts';
import { operationUpdateProblem } from './journal-rules.ts';
import { commitContent, writeGitObject } from './git-objects.ts';
import { assertNoKeyMaterial } from './key-material.ts';
import { assertBranchName, assertSafeName } from './names.ts';
import { SHA, gitDirOf } from './repo.ts';
import { currentSha, updateBranchIfUnchanged } from './ref-cas.ts';
import type { GitCtx, Section, StateTree } from './state-tree.ts';
import {
  SECTIONS,
  applyToTree,
  loadStateTree,
  withSection,
  writeBlobs,
  writeTreeObject,
} from './state-tree.ts';
import { inventoryText, operationText, parseOperationFile } from './state-files.ts';
import { StateReader } from './state-reader.ts';
import { formatMessage, parseMessage } from './trailers.ts';
import type { ChainResult, Operation, StateCommit, StateStore } from './types.ts';

export interface GitStateStoreOptions {
  /** Work tree of a normal repository (its `.git` holds the state). */
  dir: string;
  branch?: string;
  clock: Clock;
  author?: { name: string; email: string };
}

type Change = Omit<Parameters<StateStore['commit']>[0], 'expectedHead'>;

export function openGitStateStore(opts: GitStateStoreOptions): StateStore {
  const branch = assertBranchName(opts.branch ?? 'certops/state');
  const ref = `refs/heads/${branch}`;
  const author = opts.author ?? { name: 'certops', email: 'certops@localhost' };
  const cache = {};
  let ctxPromise: Promise<GitCtx> | undefined;
  // Resolved once; a failure (no repository yet) is not remembered, so `git init` fixes it.
  const ctx = () =>
    (ctxPromise ??= gitDirOf(opts.dir).then(
      (gitdir) => ({ gitdir, branch, cache }),
      (err: unknown) => {
        ctxPromise = undefined;
        throw err;
      },
    ));
  const reader = new StateReader();
  // The tree of the last commit read or written, reused when the next commit builds on it.
  let last: StateTree | undefined;
  const treeAt = async (c: GitCtx, head: string) =>
    last?.head === head ? last : (last = await loadStateTree(c, head));
  // Commits from one store run one at a time; other writers are caught by the ref CAS.
  let queue: Promise<unknown> = Promise.resolve();

  async function snapshotTree(): Promise<[GitCtx, StateTree]> {
    const c = await ctx();
    return [c, await treeAt(c, await currentSha(c.gitdir, ref))];
  }

  /** A change checked and serialised, ready to become one commit of a chain. */
  interface Prepared {
    message: string;
    texts: Record<Section, Map<string, string | null>>;
  }

  /**
   * Checks and serialises one change against the operations as the chain so far leaves them
   * (`latest`); throws StateWriteRefusedError, before anything is written, when it is refused.
   */
  async function prepare(
    c: GitCtx,
    base: StateTree,
    latest: Map<string, Operation>,
    change: Change,
  ): Promise<Prepared> {
    const texts: Record<Section, Map<string, string | null>> = {
      inventory: new Map(),
      journal: new Map(),
    };
    for (const [name, record] of Object.entries(change.inventory ?? {})) {
      assertSafeName('certificate name', name);
      texts.inventory.set(name, record === null ? null : inventoryText(name, record));
    }
    for (const op of change.operations ?? []) {
      if (texts.journal.has(op.id)) {
        throw new StateWriteRefusedError(`operation ${op.id} appears twice in one commit`);
      }
      texts.journal.set(op.id, operationText(op));
    }
    const message = formatMessage(change.message, change.trailers);
    assertNoKeyMaterial('the state commit message', message);
    for (const op of change.operations ?? []) {
      const entry = base.sections.journal.get(op.id);
      const previous =
        latest.get(op.id) ??
        (entry && parseOperationFile(branch, op.id, await reader.text(c, entry.oid)));
      const problem = operationUpdateProblem(previous, op);
      if (problem !== null) throw new StateWriteRefusedError(`operation ${op.id} ${problem}`);
    }
    for (const op of change.operations ?? []) latest.set(op.id, structuredClone(op));
    return { message, texts };
  }

  /**
   * Writes `changes` as a chain of commits on `expectedHead`, one commit per change, and moves
   * the branch once, to the last. Objects of the whole chain are written together (blobs, then
   * subtrees, then root trees, then the commits in order), so a chain costs about as much I/O
   * as one commit. A refused change gets its error and is left out; the others are written.
   * A moved branch fails the whole chain with StateConflictError.
   */
  async function commitChainNow(
    expectedHead: string,
    changes: readonly Change[],
  ): Promise<ChainResult[]> {
    if (expectedHead !== '' && !SHA.test(expectedHead)) {
      throw new StateWriteRefusedError(`expectedHead ${JSON.stringify(expectedHead)} is not a sha`);
    }
    const c = await ctx();
    const actual = await currentSha(c.gitdir, ref);
    if (actual !== expectedHead) throw new StateConflictError(branch, expectedHead, actual);
    const base = await treeAt(c, expectedHead);

    const results: ChainResult[] = [];
    const prepared: { index: number; p: Prepared }[] = [];
    const latest = new Map<string, Operation>();
    for (const [index, change] of changes.entries()) {
      try {
        prepared.push({ index, p: await prepare(c, base, latest, change) });
        results.push({ sha: '' });
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        results.push({ error });
      }
    }
    if (prepared.length === 0) return results;

    // Blobs of every commit, together.
    const contents: string[] = [];
    for (const { p } of prepared)
      for (const section of SECTIONS)
        for (const text of p.texts[section].values()) if (text !== null) contents.push(text);
    const blobOids = await writeBlobs(c, contents);
    let next = 0;
    // Each commit's tree in memory, then every changed subtree written together.
    let tree: Omit<StateTree, 'head'> = base;
    const steps = prepared.map(({ p }) => {
      const oids: Record<Section, Map<string, string | null>> = {
        inventory: new Map(),
        journal: new Map(),
      };
      for (const section of SECTIONS)
        for (const [name, text] of p.texts[section])
          oids[section].set(name, text === null ? null : (blobOids[next++] ?? ''));
      const applied = applyToTree(tree, oids);
      tree = applied.tree;
      return applied;
    });
    const subtreeOids = await Promise.all(
      steps.map((st) =>
        Promise.all(
          st.changed.map((section) => {
            const entries = [...st.tree.sections[section].values()];
            return entries.length === 0 ? '' : writeTreeObject(c, entries);
          }),
        ),
      ),
    );
    let root = base.root;
    const roots = steps.map((st, i) => {
      st.changed.forEach((section, j) => {
        root = withSection(root, section, subtreeOids[i]?.[j] ?? '');
      });
      st.tree = { ...st.tree, root };
      return root;
    });
    const rootOids = await Promise.all(roots.map((entries) => writeTreeObject(c, entries)));

    const now = opts.clock.now();
    const who = { ...author, timestamp: Math.floor(now.getTime() / 1000) };
    let parent = expectedHead;
    for (const [i, { index, p }] of prepared.entries()) {
      const fields = {
        message: p.message,
        tree: rootOids[i] ?? '',
        parent: parent === '' ? [] : [parent],
        author: who,
        committer: who,
      };
      parent = await writeGitObject(c.gitdir, 'commit', commitContent(fields));
      results[index] = { sha: parent };
    }
    await updateBranchIfUnchanged(c.gitdir, branch, expectedHead, parent);
    last = { head: parent, ...(steps[steps.length - 1]?.tree ?? base) };
    return results;
  }

  function enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    async read() {
      const [c, tree] = await snapshotTree();
      const inventory = await reader.inventory(c, tree);
      const open = (await reader.operations(c, tree)).filter((op) => !op.closed);
      return { inventory, open, head: tree.head };
    },
    async operations() {
      const [c, tree] = await snapshotTree();
      return reader.operations(c, tree);
    },
    commit(change) {
      return enqueue(async () => {
        const [r] = await commitChainNow(change.expectedHead, [change]);
        if (!r || 'error' in r) throw r?.error ?? new Error('no commit result');
        return r.sha;
      });
    },
    commitChain(expectedHead, changes) {
      return enqueue(() => commitChainNow(expectedHead, changes));
    },
    async log(limit) {
      const c = await ctx();
      if ((await currentSha(c.gitdir, ref)) === '') return [];
      const entries = await (
        await isoGit()
      ).log({ fs, gitdir: c.gitdir, ref, depth: limit, cache });
      return entries.map(({ oid, commit }): StateCommit => {
        const { message, trailers } = parseMessage(commit.message);
        const time = new Date(commit.committer.timestamp * 1000).toISOString();
        return { sha: oid, message, trailers, time };
      });
    },
  };
}
