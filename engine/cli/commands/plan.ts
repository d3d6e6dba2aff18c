// `certops plan`: what apply would do now, and why. Exit 0 when nothing, 2 when there are changes.
import { Command } from 'commander';
import { planNow } from '../../apply/apply.ts';
import { deferral } from '../../apply/backoff.ts';
import { ExitCode } from '../../errors.ts';
import type { Model } from '../../model/object.ts';
import { desiredCertificates, type DesiredCertificate } from '../../plan/desired.ts';
import type { InventoryRecord } from '../../state/types.ts';
import type { Plan } from '../../plan/planner.ts';
import { writeJson, type Runner } from '../command.ts';
import type { Context } from '../context.ts';
import { lifecycleDeps, loadValidModel } from '../lifecycle.ts';
import { judgeChanges, policyJson, type PlanPolicy } from '../plan-policy.ts';
import { planSummary, renderPlan } from '../render-plan.ts';
import { selector, withSelection, type SelectOptions } from './select.ts';

export function planCommand(runner: Runner): Command {
  return withSelection(new Command('plan'))
    .summary('show what apply would change, and why')
    .description(
      'Compares the desired state (certs.d) with the recorded state (the state branch) and what the ' +
        'targets hold now, and lists each change with its reasons. Every change is judged by the ' +
        "repository's policies (policies/, Rego): results are shown per change with the YAML line " +
        'they are about, waived results included. Changes nothing.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  certops plan\n  certops plan --now 2026-12-01 --json\n\nExit codes: 0 no changes, 2 changes, 3 invalid input, 4 a policy denies a change\n(fix it, or add a Waiver approved in review).',
    )
    .action(runner.action<SelectOptions & { deployRoot?: string }>(runPlan));
}

export interface PlanWithPolicy {
  plan: Plan;
  policy: PlanPolicy;
}

export interface PlanState {
  plan: Plan;
  model: Model;
  desired: DesiredCertificate[];
  inventory: ReadonlyMap<string, InventoryRecord>;
}

/** The plan (selected changes only) and what it was computed from; no policy yet. */
export async function planState(
  ctx: Context,
  names: string[],
  opts: SelectOptions & { deployRoot?: string },
): Promise<PlanState> {
  const model = await loadValidModel(ctx);
  const deps = await lifecycleDeps(
    ctx,
    model,
    opts.deployRoot ? { deployRoot: opts.deployRoot } : {},
  );
  const snapshot = await deps.store.read();
  const desired = desiredCertificates(model);
  const full = await planNow(deps, desired, snapshot.inventory);
  const pick = selector(names, opts);
  const byName = new Map(desired.map((d) => [d.name, d]));
  const changes = full.changes.filter((c) => pick(c, byName.get(c.certificate)));
  // Changes whose operation is backing off after failed issuances: apply will skip them.
  const open = new Map(snapshot.open.map((o) => [o.id, o]));
  const now = deps.clock.now();
  const waiting = changes.flatMap((c) => {
    const d = deferral(open.get(c.operationId), now);
    return d
      ? [
          `${c.certificate}: backing off after ${d.attempt} failed issuance${d.attempt === 1 ? '' : 's'} (${d.error.split('\n')[0]?.slice(0, 160) ?? ''}); apply waits until ${d.retryAt} unless --retry-now`,
        ]
      : [];
  });
  return {
    plan: { ...full, changes, notices: [...full.notices, ...waiting] },
    model,
    desired,
    inventory: snapshot.inventory,
  };
}

export async function computePlan(
  ctx: Context,
  names: string[],
  opts: SelectOptions & { deployRoot?: string },
): Promise<PlanWithPolicy> {
  const s = await planState(ctx, names, opts);
  const policy = await judgeChanges(ctx, { ...s, changes: s.plan.changes });
  return { plan: s.plan, policy };
}

async function runPlan(
  ctx: Context,
  opts: SelectOptions & { deployRoot?: string },
  names: string[],
): Promise<ExitCode> {
  const { plan: p, policy } = await computePlan(ctx, names, opts);
  if (ctx.json) writeJson(ctx, { ...p, summary: planSummary(p), policy: policyJson(policy) });
  else ctx.io.stdout(renderPlan(p, ctx.style, policy));
  if (policy.report?.denied) return ExitCode.PolicyDenied;
  return p.changes.length > 0 ? ExitCode.Changes : ExitCode.Ok;
}
