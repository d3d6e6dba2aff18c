// state-commit: 700 journal commits in a row on the state branch (100 operations × 7 steps),
// through the GitStateStore, in-process; the per-commit cost that bounds apply's throughput.
import { openGitStateStore } from '../engine/state/git-store.ts';
import { clock, makeRepo } from '../engine/state/testing.ts';
import type { JournalEvent, Operation } from '../engine/state/types.ts';

export async function stateCommitBench(): Promise<Record<string, number | boolean>> {
  const repo = await makeRepo({ withCommit: true });
  try {
    const store = openGitStateStore({ dir: repo.dir, clock });
    let head = (await store.read()).head;
    const ops: Operation[] = Array.from({ length: 100 }, (_, i) => ({
      id: `c${i}-0123456789ab`,
      certificate: `c${i}`,
      action: 'issue',
      reasons: ['new'],
      desiredCommit: '',
      events: [] as JournalEvent[],
      closed: false,
    }));
    const steps = [
      'started',
      'key-ready',
      'ordered',
      'issued',
      'deploying',
      'deployed',
      'verified',
    ] as const;
    const started = performance.now();
    for (const step of steps)
      for (const op of ops) {
        op.events.push({ step, at: clock.now().toISOString() });
        head = await store.commit({
          expectedHead: head,
          operations: [op],
          message: `certops: issue ${op.certificate}: ${step}`,
          trailers: { 'Certops-Operation': op.id, 'Certops-Step': step },
        });
      }
    const ms = performance.now() - started;
    const n = steps.length * ops.length;
    return {
      commits: n,
      seconds: +(ms / 1000).toFixed(2),
      msPerCommit: +(ms / n).toFixed(2),
      pass: ms / n < 10,
    };
  } finally {
    await repo.cleanup();
  }
}
