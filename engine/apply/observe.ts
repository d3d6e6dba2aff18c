// What each recorded target holds now, for drift detection. Observation never fails the plan:
// a target that cannot be read counts as holding nothing (and is reported as drift); one that
// cannot tell what it holds (`unobservable`) is left out, so no drift is reported for it.
import type { InventoryRecord } from '../state/types.ts';
import { targetFor } from './context.ts';
import type { LifecycleDeps } from './deps.ts';

export type Observations = Map<string, Map<string, string | undefined>>;

export async function observeTargets(
  deps: Pick<LifecycleDeps, 'model' | 'targets' | 'deployRoot' | 'runner' | 'tls' | 'clock'> &
    Partial<LifecycleDeps>,
  inventory: ReadonlyMap<string, InventoryRecord>,
): Promise<Observations> {
  const out: Observations = new Map();
  const jobs: Promise<void>[] = [];
  for (const record of inventory.values()) {
    if (record.state !== 'active') continue;
    const perCert = new Map<string, string | undefined>();
    out.set(record.name, perCert);
    for (const t of record.targets) {
      let target;
      try {
        target = targetFor(deps as LifecycleDeps, t.target);
      } catch {
        continue;
      }
      if (!target) continue;
      const { provider, ctx } = target;
      jobs.push(
        provider
          .observe(ctx, t.deployName)
          .then((o) => void (o.unobservable || perCert.set(t.target, o.fingerprintSha256)))
          .catch(() => void perCert.set(t.target, undefined)),
      );
    }
  }
  await Promise.all(jobs);
  return out;
}
