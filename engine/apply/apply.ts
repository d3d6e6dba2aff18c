// `certops apply`: lock, re-plan from the current desired state, run each change as a journaled
// operation (resuming open ones), close operations the new plan no longer contains, unlock.
// Operations run `concurrency` at a time (default 1); their journal commits are ordered through
// one StateHead, and work on one target, or on an issuer that is not `parallel`, takes turns.
import { desiredCertificates, type DesiredCertificate } from '../plan/desired.ts';
import { plan, type Change, type Plan } from '../plan/planner.ts';
import type { InventoryRecord, Operation } from '../state/types.ts';
import { issuerFor } from './context.ts';
import type { LifecycleDeps } from './deps.ts';
import { deferral } from './backoff.ts';
import { Journal, StateHead } from './journal.ts';
import { KeyedMutex, mapLimit } from '../util/concurrency.ts';
import { observeTargets } from './observe.ts';
import { suggestedWindows } from './renewal-info.ts';
import { runOperation, type Outcome } from './operation.ts';

export interface ApplyOptions {
  /** Which changes to run (all when absent). Unselected changes stay planned. */
  select?: (change: Change, desired: DesiredCertificate | undefined) => boolean;
  /**
   * Judges the selected changes after the re-plan, under the lock, before any side effect;
   * throwing (PolicyDeniedError) stops the apply with nothing done.
   */
  gate?: (
    changes: readonly Change[],
    desired: readonly DesiredCertificate[],
    inventory: ReadonlyMap<string, InventoryRecord>,
  ) => Promise<void>;
  /** How many operations run at once (default 1). */
  concurrency?: number;
  /** Run operations that are backing off after failed issuances now (default: wait). */
  retryNow?: boolean;
}

export interface ApplyResult {
  plan: Plan;
  outcomes: Outcome[];
  /** Operations left open by an earlier run that the current plan no longer contains. */
  abandoned: string[];
  /** Open operations this run resumed. */
  resumed: string[];
}

/**
 * The plan as of now: what the targets hold (observed) and the CA's suggested renewal windows
 * (ARI) are read first, then the pure planner runs; notices from both are kept. `plan` and
 * `apply` share it so they never disagree.
 */
export async function planNow(
  deps: LifecycleDeps,
  desired: DesiredCertificate[],
  inventory: ReadonlyMap<string, InventoryRecord>,
): Promise<Plan> {
  const observed = await observeTargets(deps, inventory);
  const ari = await suggestedWindows(deps, desired, inventory);
  const p = plan({ desired, inventory, observed, now: deps.clock.now(), suggested: ari.windows });
  return { ...p, notices: [...p.notices, ...ari.notices] };
}

export async function apply(deps: LifecycleDeps, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const lock = await deps.lock();
  try {
    const snapshot = await deps.store.read();
    const desired = desiredCertificates(deps.model);
    const byName = new Map(desired.map((d) => [d.name, d]));
    const p = await planNow(deps, desired, snapshot.inventory);
    const head = new StateHead(deps.store, snapshot.head);
    const open = new Map(snapshot.open.map((o) => [o.id, o]));
    await dropStalePendingKeys(deps, open);
    const result: ApplyResult = { plan: p, outcomes: [], abandoned: [], resumed: [] };
    const selected = p.changes.filter(
      (c) => !opts.select || opts.select(c, byName.get(c.certificate)),
    );
    await opts.gate?.(selected, desired, snapshot.inventory);

    const concurrency = Math.max(1, opts.concurrency ?? 1);
    const run: LifecycleDeps = concurrency > 1 ? { ...deps, locks: new KeyedMutex() } : deps;
    for (const change of selected) {
      if (open.get(change.operationId)?.events.length) result.resumed.push(change.operationId);
    }
    const now = deps.clock.now();
    result.outcomes = await mapLimit(selected, concurrency, async (change): Promise<Outcome> => {
      const wait = opts.retryNow ? undefined : deferral(open.get(change.operationId), now);
      if (wait)
        return {
          change,
          status: 'deferred',
          retryAt: wait.retryAt,
          errors: [
            `backing off after ${wait.attempt} failed issuance${wait.attempt === 1 ? '' : 's'} (${wait.error.split('\n')[0] ?? ''}); next attempt after ${wait.retryAt}`,
          ],
        };
      const journal = new Journal(run, change, open.get(change.operationId), head);
      try {
        const record = snapshot.inventory.get(change.certificate);
        return await runOperation(run, change, byName.get(change.certificate), record, journal);
      } catch (e) {
        return { change, status: 'failed', errors: [e instanceof Error ? e.message : String(e)] };
      }
    });

    const deferred = new Set(
      result.outcomes.filter((o) => o.status === 'deferred').map((o) => o.change.operationId),
    );
    result.resumed = result.resumed.filter((id) => !deferred.has(id));

    const planned = new Set(p.changes.map((c) => c.operationId));
    for (const op of snapshot.open) {
      if (planned.has(op.id)) continue;
      await abandon(deps, op, head);
      result.abandoned.push(op.id);
    }
    return result;
  } finally {
    await lock.release();
  }
}

/**
 * A pending key outlives its operation only when the process died between recording the
 * operation and deleting the key: delete those (no open operation needs them).
 */
async function dropStalePendingKeys(
  deps: LifecycleDeps,
  open: ReadonlyMap<string, Operation>,
): Promise<void> {
  for (const id of await deps.leafKeys.list('pending-')) {
    if (!open.has(id.slice('pending-'.length))) await deps.leafKeys.delete(id);
  }
}

/** Closes an operation the desired state has moved past; retires what it issued, if anything. */
async function abandon(deps: LifecycleDeps, op: Operation, head: StateHead): Promise<void> {
  const fake: Change = {
    certificate: op.certificate,
    action: op.action as Change['action'],
    reasons: [],
    deploy: [],
    undeploy: [],
    operationId: op.id,
  };
  const journal = new Journal(deps, fake, op, head);
  const serial = journal.last('issued')?.detail?.serial;
  await journal.append('abandoned', {
    close: true,
    detail: { why: 'no longer in the plan', ...(serial ? { serial } : {}) },
  });
  await deps.leafKeys.delete(`pending-${op.id}`);
  if (!serial) return;
  const issuer = deps.model.objects.find(
    (o) => o.kind === 'Certificate' && o.name === op.certificate,
  );
  const issuerName = (issuer?.value as { spec?: { issuer?: string } } | undefined)?.spec?.issuer;
  if (!issuerName) return;
  try {
    const { provider, ctx } = issuerFor(deps, issuerName);
    await provider.retire?.(ctx, serial, 'superseded');
  } catch {
    // best effort
  }
}
