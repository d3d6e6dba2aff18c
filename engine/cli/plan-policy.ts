// Policy evaluation for the lifecycle verbs: loads the repository's policies (policies/) and
// judges a plan's changes. Shared by `plan` (report, exit 4) and `apply` (refuses to start).
import type { Model } from '../model/object.ts';
import type { DesiredCertificate } from '../plan/desired.ts';
import type { Change } from '../plan/planner.ts';
import { evaluateChanges, type PolicyReport } from '../policy/evaluate.ts';
import { loadRepoPolicy } from '../policy/repo-policy.ts';
import type { InventoryRecord } from '../state/types.ts';
import type { Context } from './context.ts';
import { homedir } from 'node:os';
import { defaultPolicyCacheDir } from '../policy/bundle/cache.ts';
import type { RepoPolicyOptions } from '../policy/repo-policy.ts';

/** Where policies are cached, and the clock time.now_ns reads: the command's own. */
export function repoPolicyOptions(ctx: Context, dir?: string): RepoPolicyOptions {
  return {
    cacheDir: defaultPolicyCacheDir(ctx.io.env, homedir()),
    now: () => ctx.clock.now(),
    ...(dir !== undefined ? { dir } : {}),
  };
}

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
  const policy = await loadRepoPolicy(ctx.repo, repoPolicyOptions(ctx));
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
