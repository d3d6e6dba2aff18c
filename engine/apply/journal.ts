// The journal of one operation: every step is appended and committed to the state branch before
// the side effect it announces runs (or right after the one it confirms), so a re-run knows
// exactly what happened. Steps already recorded are skipped on resume.
//
// Journals of one apply share a StateHead: operations run concurrently, and their steps go to
// the state branch as consecutive commits, each on top of the last (the store's
// compare-and-swap on the head would refuse a commit built on a stale head).
import type { Change } from '../plan/planner.ts';
import type {
  InventoryRecord,
  JournalEvent,
  JournalStep,
  Operation,
  StateStore,
} from '../state/types.ts';
import type { LifecycleDeps } from './deps.ts';

type ChainChange = Parameters<StateStore['commitChain']>[1][number];

/**
 * The state branch head one apply commits on. Journals append through it: steps that arrive
 * while a write is in flight are written next, together, as a chain of commits (one per step,
 * in arrival order) with one branch update (StateStore.commitChain), so concurrent operations
 * do not queue behind each other's disk writes. A step's promise settles once its commit is
 * on the branch (or was refused).
 */
export class StateHead {
  sha: string;
  private readonly store: StateStore;
  private pending: { change: ChainChange; done: (error?: unknown) => void }[] = [];
  private flushing = false;

  constructor(store: StateStore, sha: string) {
    this.store = store;
    this.sha = sha;
  }

  commit(change: ChainChange): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ change, done: (e) => (e === undefined ? resolve() : reject(e)) });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      await null; // steps appended in the same tick join the first chain
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        try {
          const results = await this.store.commitChain(
            this.sha,
            batch.map((b) => b.change),
          );
          batch.forEach((b, i) => {
            const r = results[i];
            if (r && 'sha' in r) {
              this.sha = r.sha;
              b.done();
            } else b.done(r?.error ?? new Error('the state store returned no result'));
          });
        } catch (e) {
          for (const b of batch) b.done(e);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

export class Journal {
  readonly op: Operation;
  private readonly deps: LifecycleDeps;
  private readonly head: StateHead;

  constructor(deps: LifecycleDeps, change: Change, open: Operation | undefined, head: StateHead) {
    this.deps = deps;
    this.head = head;
    this.op = open ?? {
      id: change.operationId,
      certificate: change.certificate,
      action: change.action,
      reasons: change.reasons.map((r) => r.code),
      desiredCommit: deps.desiredCommit,
      events: [],
      closed: false,
    };
  }

  has(step: JournalStep, target?: string): boolean {
    return this.op.events.some((e) => e.step === step && e.target === target);
  }

  last(step: JournalStep, target?: string): JournalEvent | undefined {
    return [...this.op.events].reverse().find((e) => e.step === step && e.target === target);
  }

  /** Appends a step and commits it (with inventory changes, when the step records them). */
  async append(
    step: JournalStep,
    opts: {
      target?: string;
      detail?: Record<string, string>;
      inventory?: Record<string, InventoryRecord | null>;
      close?: boolean;
    } = {},
  ): Promise<void> {
    const event: JournalEvent = { step, at: this.deps.clock.now().toISOString() };
    if (opts.target) event.target = opts.target;
    if (opts.detail) event.detail = opts.detail;
    this.op.events.push(event);
    if (opts.close) this.op.closed = true;
    const trailers: Record<string, string> = {
      'Certops-Operation': this.op.id,
      'Certops-Certificate': this.op.certificate,
      'Certops-Action': this.op.action,
      'Certops-Step': step,
      'Certops-Reasons': this.op.reasons.join(','),
      'Certops-Desired-Commit': this.deps.desiredCommit || 'uncommitted',
    };
    if (opts.target) trailers['Certops-Target'] = opts.target;
    if (opts.detail?.serial) trailers['Certops-Serial'] = opts.detail.serial;
    if (opts.detail?.order) trailers['Certops-Order'] = opts.detail.order;
    const where = opts.target ? ` on ${opts.target}` : '';
    // The operation is serialised when its chain is written: later steps are not in flight.
    await this.head.commit({
      operations: [this.op],
      message: `certops: ${this.op.action} ${this.op.certificate}: ${step}${where}`,
      trailers,
      ...(opts.inventory ? { inventory: opts.inventory } : {}),
    });
    this.deps.onEvent?.({
      certificate: this.op.certificate,
      operationId: this.op.id,
      step,
      ...(opts.target ? { target: opts.target } : {}),
      ...(opts.detail?.error ? { message: opts.detail.error } : {}),
    });
    this.deps.afterJournal?.(step, this.op.id);
  }
}
