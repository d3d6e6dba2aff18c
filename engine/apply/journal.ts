// The journal of one operation: every step is appended and committed to the state branch before
// the side effect it announces runs (or right after the one it confirms), so a re-run knows
// exactly what happened. Steps already recorded are skipped on resume.
//
// Journals of one apply share a StateHead: operations run concurrently, but their commits go
// to the state branch one at a time, each on top of the last (the store's compare-and-swap on
// the head would refuse a commit built on a stale head).
import { Mutex } from '../util/concurrency.ts';
import type { Change } from '../plan/planner.ts';
import type { InventoryRecord, JournalEvent, JournalStep, Operation } from '../state/types.ts';
import type { LifecycleDeps } from './deps.ts';

/** The state branch head one apply commits on, with the lock that orders its commits. */
export interface StateHead {
  sha: string;
  readonly commits: Mutex;
}

export function stateHead(sha: string): StateHead {
  return { sha, commits: new Mutex() };
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

  get resumed(): boolean {
    return this.op.events.length > 0;
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
    await this.head.commits.run(async () => {
      const change: Parameters<LifecycleDeps['store']['commit']>[0] = {
        expectedHead: this.head.sha,
        operations: [this.op],
        message: `certops: ${this.op.action} ${this.op.certificate}: ${step}${where}`,
        trailers,
      };
      if (opts.inventory) change.inventory = opts.inventory;
      this.head.sha = await this.deps.store.commit(change);
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
