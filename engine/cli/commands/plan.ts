// `certops plan`: what apply would do now, and why. Exit 0 when nothing, 2 when there are changes.
import { Command } from 'commander';
import { observeTargets } from '../../apply/observe.ts';
import { ExitCode } from '../../errors.ts';
import { desiredCertificates } from '../../plan/desired.ts';
import { plan, type Plan } from '../../plan/planner.ts';
import { writeJson, type Runner } from '../command.ts';
import type { Context } from '../context.ts';
import { lifecycleDeps, loadValidModel } from '../lifecycle.ts';
import { planSummary, renderPlan } from '../render-plan.ts';
import { selector, withSelection, type SelectOptions } from './select.ts';

export function planCommand(runner: Runner): Command {
  return withSelection(new Command('plan'))
    .summary('show what apply would change, and why')
    .description(
      'Compares the desired state (certs.d) with the recorded state (the state branch) and what the ' +
        'targets hold now, and lists each change with its reasons. Changes nothing.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  certops plan\n  certops plan --now 2026-12-01 --json\n\nExit codes: 0 no changes, 2 changes, 3 invalid input.',
    )
    .action(runner.action<SelectOptions & { deployRoot?: string }>(runPlan));
}

export async function computePlan(
  ctx: Context,
  names: string[],
  opts: SelectOptions & { deployRoot?: string },
): Promise<Plan> {
  const model = await loadValidModel(ctx);
  const deps = await lifecycleDeps(
    ctx,
    model,
    opts.deployRoot ? { deployRoot: opts.deployRoot } : {},
  );
  const snapshot = await deps.store.read();
  const desired = desiredCertificates(model);
  const observed = await observeTargets(deps, snapshot.inventory);
  const full = plan({ desired, inventory: snapshot.inventory, observed, now: ctx.clock.now() });
  const pick = selector(names, opts);
  const byName = new Map(desired.map((d) => [d.name, d]));
  return { ...full, changes: full.changes.filter((c) => pick(c, byName.get(c.certificate))) };
}

async function runPlan(
  ctx: Context,
  opts: SelectOptions & { deployRoot?: string },
  names: string[],
): Promise<ExitCode> {
  const p = await computePlan(ctx, names, opts);
  if (ctx.json) writeJson(ctx, { ...p, summary: planSummary(p) });
  else ctx.io.stdout(renderPlan(p, ctx.style));
  return p.changes.length > 0 ? ExitCode.Changes : ExitCode.Ok;
}
