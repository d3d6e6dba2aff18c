// `certops policy diff --base <ref>`: what a policy change would newly deny or allow.
import { Command } from 'commander';
import { ExitCode, UsageError } from '../../errors.ts';
import { diffPolicies, type DiffEntry, type PolicyDiff } from '../../policy/diff.ts';
import { loadPolicyFrom, type RepoPolicy } from '../../policy/repo-policy.ts';
import { commitReader, workingTreeReader } from '../../policy/sources.ts';
import { writeJson, type Runner } from '../command.ts';
import type { Context } from '../context.ts';
import type { Style } from '../style.ts';
import { planState } from './plan.ts';
import { repoPolicyOptions } from '../plan-policy.ts';

interface DiffOptions {
  base?: string;
  policies?: string;
}

export function policyDiffCommand(runner: Runner): Command {
  return new Command('diff')
    .summary('show what a policy change newly denies or allows, before it merges')
    .description(
      'Evaluates the policies at --base and the policies in the working tree over the same inputs: ' +
        'every declared certificate with its planned change (a certificate with nothing planned is ' +
        'judged as `issue`), the recorded inventory and the current waivers. Lists results that ' +
        'newly fail, newly pass, or change level. Changes nothing.',
    )
    .requiredOption(
      '--base <ref>',
      'the policies to compare against: a branch, tag, commit or HEAD~1',
    )
    .option('--policies <dir>', 'policy directory, relative to the repository', 'policies')
    .addHelpText(
      'after',
      '\nExamples:\n  certops policy diff --base main\n  certops policy diff --base HEAD~1 --json\n\n' +
        'Exit codes: 0 compared (whatever the differences), 3 a policy does not compile, the\n' +
        'desired state is invalid, or --base names no commit.',
    )
    .action(runner.action<DiffOptions>(runDiff));
}

const EMPTY: RepoPolicy['evaluator'] = { results: () => [] };

async function runDiff(ctx: Context, opts: DiffOptions): Promise<ExitCode> {
  if (!opts.base) throw new UsageError('--base <ref> is required');
  const dir = opts.policies ?? 'policies';
  const baseReader = await commitReader(ctx.repo, opts.base);
  const base = await loadPolicyFrom(baseReader, repoPolicyOptions(ctx, dir));
  const head = await loadPolicyFrom(workingTreeReader(ctx.repo), repoPolicyOptions(ctx, dir));
  const s = await planState(ctx, [], {});
  const diff = diffPolicies({
    model: s.model,
    desired: s.desired,
    changes: s.plan.changes,
    inventory: s.inventory,
    now: ctx.clock.now(),
    base: base?.evaluator ?? EMPTY,
    head: head?.evaluator ?? EMPTY,
  });
  const sides = {
    base: { ref: baseReader.label, revision: base?.revision ?? null, files: base?.files ?? [] },
    head: { ref: 'working tree', revision: head?.revision ?? null, files: head?.files ?? [] },
  };
  if (ctx.json) writeJson(ctx, { ...sides, ...diff });
  else ctx.io.stdout(renderDiff(diff, sides.base.ref, dir, ctx.style));
  return ExitCode.Ok;
}

function line(e: DiffEntry, mark: string, style: Style, extra = ''): string[] {
  const waived = e.waivedBy ? style.cyan(` (waived by ${e.waivedBy})`) : '';
  const out = [
    `  ${mark} ${e.level} ${style.bold(e.id)} ${e.certificate}${extra}${waived}: ${e.message}`,
  ];
  if (e.location) {
    const l = e.location;
    out.push(style.dim(`      at ${l.file}:${l.line}:${l.col}${l.path ? ` ${l.path}` : ''}`));
  }
  return out;
}

export function renderDiff(d: PolicyDiff, baseRef: string, dir: string, style: Style): string {
  const out = [
    `Policy diff: ${dir}/ at ${baseRef} → working tree, ${d.evaluated} certificate${d.evaluated === 1 ? '' : 's'} judged.`,
    '',
  ];
  if (d.newlyFailing.length) {
    out.push(style.bold('Newly failing:'));
    for (const e of d.newlyFailing)
      out.push(...line(e, e.level === 'deny' ? style.red('+') : style.yellow('+'), style));
  }
  if (d.levelChanged.length) {
    out.push(style.bold('Level changed:'));
    for (const e of d.levelChanged)
      out.push(...line(e, style.yellow('~'), style, ` (${e.from} → ${e.level})`));
  }
  if (d.newlyPassing.length) {
    out.push(style.bold('Newly passing:'));
    for (const e of d.newlyPassing) out.push(...line(e, style.green('-'), style));
  }
  if (!d.newlyFailing.length && !d.levelChanged.length && !d.newlyPassing.length)
    out.push('No differences: both policy versions give the same results.');
  const t = d.totals;
  out.push(
    '',
    `${style.bold('Summary:')} ${d.newlyFailing.length} newly failing, ${d.newlyPassing.length} newly passing, ${d.levelChanged.length} changed level. ` +
      `Unwaived: ${t.base.deny} deny / ${t.base.warn} warn before, ${t.head.deny} deny / ${t.head.warn} warn after.`,
  );
  return `${out.join('\n')}\n`;
}
