// http-01 through an nginx location certops manages: pending tokens go into one snippet file
// (snippet.ts) in an nginx Target's directory, which the operator includes once in the port-80
// server blocks; each change is config-tested and reloaded with the Target's commands.
//
// Contract:
// - One snippet per file path for the whole process: concurrent orders (apply --concurrency)
//   share it. Changes are coalesced (util/concurrency.ts Coalescer): the file is rewritten from
//   all current tokens and nginx reloaded one run at a time, and every change made while a run
//   is in flight goes out together in the next one.
// - present resolves only once nginx serves the key authorization (self-check.ts), so the CA is
//   never asked early. A failed config test or reload puts the previous file back and fails the
//   present (and every present sharing that run) with nginx's message.
// - cleanup removes the token, rewrites and reloads. close removes whatever this solver still
//   holds (a present that failed after writing), so nothing is left once the order ends.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ensureDir, readIfExists, writeAtomic } from '../../../targets/file/atomic.ts';
import { runNginxStep } from '../../../targets/nginx/steps.ts';
import type { CommandRunner } from '../../../targets/types.ts';
import { Coalescer } from '../../../util/concurrency.ts';
import type { Solver } from '../solvers.ts';
import { selfCheck, type SelfCheck } from './self-check.ts';
import { checkChallenge, renderSnippet } from './snippet.ts';

export interface NginxFront {
  /** The nginx Target's name (messages). */
  target: string;
  /** Absolute path of the snippet file. */
  file: string;
  configTest: readonly string[];
  reload: readonly string[];
  /** Where the commands run (as the nginx Target runs them). */
  deployRoot: string;
  runner: CommandRunner;
  selfCheck: SelfCheck;
}

interface Shared {
  pending: Map<string, string>;
  sync: Coalescer;
  users: number;
}

const HINT =
  'The previous challenge snippet was restored. Read the nginx message above: the snippet must be included inside a server block, and the rest of the configuration must pass the test.';

// By snippet path. Two Targets naming the same directory share it (the first one's commands).
const snippets = new Map<string, Shared>();

async function flush(front: NginxFront, pending: ReadonlyMap<string, string>): Promise<void> {
  await ensureDir(path.dirname(front.file)); // the first certificate may not be deployed yet
  const before = await readIfExists(front.file);
  await writeAtomic(front.file, renderSnippet(pending), 0o644);
  const undo = async (): Promise<void> => {
    if (before === undefined) await rm(front.file, { force: true });
    else await writeAtomic(front.file, before, 0o644);
  };
  const step = { name: front.target, runner: front.runner, deployRoot: front.deployRoot };
  const why = `after writing ${path.basename(front.file)}`;
  await runNginxStep(step, front.configTest, `configuration test ${why}`, undo, HINT);
  await runNginxStep(step, front.reload, `reload ${why}`, undo, HINT);
}

export function nginxSolver(front: NginxFront): Solver {
  const mine = new Set<string>();
  let held: Shared | undefined;
  const acquire = (): Shared => {
    if (held) return held;
    let s = snippets.get(front.file);
    if (!s) {
      const pending = new Map<string, string>();
      s = { pending, sync: new Coalescer(() => flush(front, pending)), users: 0 };
      snippets.set(front.file, s);
    }
    s.users++;
    held = s;
    return s;
  };
  const drop = async (tokens: readonly string[]): Promise<void> => {
    const s = held;
    const ours = tokens.filter((t) => mine.has(t));
    if (!s || ours.length === 0) return;
    for (const t of ours) {
      s.pending.delete(t);
      mine.delete(t);
    }
    await s.sync.run();
  };
  return {
    type: 'http-01',
    async present(name, ch, keyAuthorization) {
      checkChallenge(ch.token, keyAuthorization);
      const s = acquire();
      s.pending.set(ch.token, keyAuthorization);
      mine.add(ch.token);
      try {
        await s.sync.run();
      } catch (e) {
        // Not served: forget it (the run restored the previous file).
        s.pending.delete(ch.token);
        mine.delete(ch.token);
        throw e;
      }
      await selfCheck(front.selfCheck, name, ch.token, keyAuthorization);
    },
    cleanup: (_name, ch) => drop([ch.token]),
    async close() {
      const s = held;
      if (!s) return;
      try {
        await drop([...mine]);
      } finally {
        held = undefined;
        if (--s.users === 0 && s.pending.size === 0) snippets.delete(front.file);
      }
    },
  };
}
