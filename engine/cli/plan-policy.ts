// Policy evaluation for the lifecycle verbs: loads the repository's policies (policies/) and
// judges a plan's changes. Shared by `plan` (report, exit 4) and `apply` (refuses to start).
import type { Model } from '../model/object.ts';
import type { DesiredCertificate } from '../plan/desired.ts';
import type { Change } from '../plan/planner.ts';
import { evaluateChanges, type PolicyReport } from '../policy/evaluate.ts';
import { loadRepoPolicy } from '../policy/repo-policy.ts';
import type { InventoryRecord } from '../state/types.ts';
import type { Context } from './context.ts';

export interface PlanPolicy {
  /** Repository-relative policy directory; absent when the repository has no policies. */
  dir?: string;
  revision?: string;
  report?: PolicyReport;
}

export async function judgeChanges(
  ctx: Context,
  args: {
    model: Model;
    desired: readonly DesiredCertificate[];
    changes: readonly Change[];
    inventory: ReadonlyMap<string, InventoryRecord>;
  },
): Promise<PlanPolicy> {
  const policy = await loadRepoPolicy(ctx.repo);
  if (!policy) return {};
  const report = evaluateChanges({
    ...args,
    evaluator: policy.evaluator,
    now: ctx.clock.now(),
    maxWaiverDays: policy.maxWaiverDays,
  });
  return { dir: policy.dir, revision: policy.revision, report };
}

/** The `policy` member of `plan --json` (stable shape; `enabled: false` without policies). */
export function policyJson(p: PlanPolicy): object {
  if (!p.report) return { enabled: false };
  return { enabled: true, dir: p.dir, revision: p.revision, ...p.report };
}
