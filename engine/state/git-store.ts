// The StateStore on a Git branch (default certops/state) that is never checked out: records are
// read from and written to the object database directly with isomorphic-git, so the work tree and
// the index are never touched. One commit per change; the branch moves by compare-and-swap.
import fs from 'node:fs';
import { isoGit } from '../util/iso-git.ts';
import type { Clock } from '../clock.ts';
import { StateConflictError, StateWriteRefusedError } from './errors.ts';
import { operationUpdateProblem } from './journal-rules.ts';
import { assertNoKeyMaterial } from './key-material.ts';
import { assertBranchName, assertSafeName } from './names.ts';
import { SHA, gitDirOf } from './repo.ts';
import { currentSha, updateBranchIfUnchanged } from './ref-cas.ts';
import type { GitCtx, Section, StateTree } from './state-tree.ts';
import { loadStateTree, writeStateTree } from './state-tree.ts';
import { inventoryText, operationText, parseOperationFile } from './state-files.ts';
import { StateReader } from './state-reader.ts';
import { formatMessage, parseMessage } from './trailers.ts';
import type { StateCommit, StateStore } from './types.ts';

export interface GitStateStoreOptions {
  /** Work tree of a normal repository (its `.git` holds the state). */
  dir: string;
  branch?: string;
  clock: Clock;
  author?: { name: string; email: string };
}

type Change = Parameters<StateStore['commit']>[0];

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

  async function commitNow(change: Change): Promise<string> {
    const { expectedHead } = change;
    if (expectedHead !== '' && !SHA.test(expectedHead)) {
      throw new StateWriteRefusedError(`expectedHead ${JSON.stringify(expectedHead)} is not a sha`);
    }
    // Everything is serialised and checked before the first object is written.
    const changes: Record<Section, Map<string, string | null>> = {
      inventory: new Map(),
      journal: new Map(),
    };
    for (const [name, record] of Object.entries(change.inventory ?? {})) {
      assertSafeName('certificate name', name);
      changes.inventory.set(name, record === null ? null : inventoryText(name, record));
    }
    for (const op of change.operations ?? []) {
      if (changes.journal.has(op.id)) {
        throw new StateWriteRefusedError(`operation ${op.id} appears twice in one commit`);
      }
      changes.journal.set(op.id, operationText(op));
    }
    const message = formatMessage(change.message, change.trailers);
    assertNoKeyMaterial('the state commit message', message);

    const c = await ctx();
    const actual = await currentSha(c.gitdir, ref);
    if (actual !== expectedHead) throw new StateConflictError(branch, expectedHead, actual);
    const base = await treeAt(c, expectedHead);
    for (const op of change.operations ?? []) {
      const entry = base.sections.journal.get(op.id);
      const previous = entry && parseOperationFile(branch, op.id, await reader.text(c, entry.oid));
      const problem = operationUpdateProblem(previous, op);
      if (problem !== null) throw new StateWriteRefusedError(`operation ${op.id} ${problem}`);
    }

    const { rootOid, tree } = await writeStateTree(c, base, changes);
    const now = opts.clock.now();
    const who = { ...author, timestamp: Math.floor(now.getTime() / 1000), timezoneOffset: 0 };
    const sha = await (
      await isoGit()
    ).writeCommit({
      fs,
      gitdir: c.gitdir,
      commit: {
        message,
        tree: rootOid,
        parent: expectedHead === '' ? [] : [expectedHead],
        author: who,
        committer: who,
      },
    });
    await updateBranchIfUnchanged(c.gitdir, branch, expectedHead, sha);
    last = { head: sha, ...tree };
    return sha;
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
      const run = queue.then(() => commitNow(change));
      queue = run.catch(() => undefined);
      return run;
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
