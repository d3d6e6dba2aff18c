// `certops apply`: carries out the plan: journaled, resumable, verified.
import { Command, InvalidArgumentError } from 'commander';
import { apply } from '../../apply/apply.ts';
import { unignoredTargetDirs } from '../../apply/ignored.ts';
import type { ApplyEvent } from '../../apply/deps.ts';
import { ExitCode, PartialApplyError, PolicyDeniedError } from '../../errors.ts';
import type { PolicyReport } from '../../policy/evaluate.ts';
import { judgeChanges } from '../plan-policy.ts';
import { writeJson, type Runner } from '../command.ts';
import type { Context } from '../context.ts';
import { lifecycleDeps, loadValidModel } from '../lifecycle.ts';
import { selector, withSelection, type SelectOptions } from './select.ts';

interface ApplyOptions extends SelectOptions {
  deployRoot?: string;
  concurrency: number;
  retryNow?: boolean;
}

/** Operations at once unless --concurrency says otherwise (issuing from a remote CA waits on it). */
export const DEFAULT_CONCURRENCY = 4;

function concurrencyArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError('expected a whole number from 1 to 64.');
  return n;
}

export function applyCommand(runner: Runner): Command {
  return withSelection(new Command('apply'))
    .summary('issue, renew, deploy and retire certificates as planned')
    .description(
      'Takes the apply lock, plans again from the current desired state, and runs each change as a ' +
        'journaled operation: issue → deploy → verify → record → retire the old certificate. It ' +
        'refuses to start while a policy denies any selected change (see `certops plan`). Every ' +
        'step is committed to the state branch first, so an interrupted apply resumes where it stopped ' +
        'without issuing twice. Keys are written only to targets (mode 0600) and $CERTOPS_HOME.',
    )
    .option(
      '--concurrency <n>',
      'operations run at once; one target, and the private CA, still take turns',
      concurrencyArg,
      DEFAULT_CONCURRENCY,
    )
    .option(
      '--retry-now',
      'run certificates that are backing off after failed issuances now, instead of waiting',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  certops apply\n  certops apply payments-api --json\n  certops apply --concurrency 8\n\n' +
        'Exit codes: 0 done, 3 invalid input, 4 a policy denies a change (nothing was done),\n6 lock held, 7 partial apply (re-run to resume; also when a certificate is backing off).',
    )
    .action(runner.action<ApplyOptions>(runApply));
}

async function runApply(ctx: Context, opts: ApplyOptions, names: string[]): Promise<ExitCode> {
  const model = await loadValidModel(ctx);
  const onEvent = ctx.json ? undefined : (e: ApplyEvent) => ctx.io.stderr(progressLine(ctx, e));
  const deps = await lifecycleDeps(ctx, model, {
    ...(opts.deployRoot ? { deployRoot: opts.deployRoot } : {}),
    ...(onEvent ? { onEvent } : {}),
  });
  for (const dir of await unignoredTargetDirs(deps)) {
    ctx.io.stderr(
      ctx.style.yellow(
        `warning: ${dir}/ is inside the repository and not in .gitignore; private keys are written there. Add it to .gitignore.\n`,
      ),
    );
  }
  const result = await apply(deps, {
    concurrency: opts.concurrency,
    ...(opts.retryNow ? { retryNow: true } : {}),
    select: selector(names, opts),
    gate: async (changes, desired, inventory) => {
      const policy = await judgeChanges(ctx, { model, desired, changes, inventory });
      if (policy.report?.denied) throw deniedError(policy.report);
    },
  });
  const failed = result.outcomes.filter((o) => o.status === 'failed');
  const deferred = result.outcomes.filter((o) => o.status === 'deferred');
  if (ctx.json) {
    writeJson(ctx, {
      ok: failed.length === 0 && deferred.length === 0,
      planId: result.plan.planId,
      outcomes: result.outcomes.map((o) => ({
        certificate: o.change.certificate,
        action: o.change.action,
        operationId: o.change.operationId,
        status: o.status,
        errors: o.errors,
        ...(o.retryAt ? { retryAt: o.retryAt } : {}),
      })),
      resumed: result.resumed,
      abandoned: result.abandoned,
    });
  } else {
    for (const o of result.outcomes) {
      const mark =
        o.status === 'done'
          ? ctx.style.green('✓')
          : o.status === 'deferred'
            ? ctx.style.yellow('⏸')
            : ctx.style.red('✗');
      ctx.io.stdout(
        `${mark} ${o.change.action} ${o.change.certificate}${o.errors.length ? `: ${o.errors.join('; ')}` : ''}\n`,
      );
    }
    if (result.resumed.length)
      ctx.io.stdout(`resumed ${result.resumed.length} interrupted operation(s)\n`);
    if (result.abandoned.length)
      ctx.io.stdout(
        `closed ${result.abandoned.length} operation(s) the desired state no longer asks for\n`,
      );
    const done = result.outcomes.length - failed.length - deferred.length;
    ctx.io.stdout(
      result.outcomes.length === 0
        ? 'Nothing to do.\n'
        : `Apply: ${done} done, ${failed.length} failed${deferred.length ? `, ${deferred.length} backing off` : ''}.\n`,
    );
  }
  if (failed.length) {
    throw new PartialApplyError(
      `${failed.length} of ${result.outcomes.length} operations did not complete`,
      'The journal on the state branch records what completed; fix the cause and run `certops apply` again to resume.',
    );
  }
  if (deferred.length) {
    const next = deferred.map((o) => o.retryAt ?? '').sort()[0] ?? '';
    throw new PartialApplyError(
      `${deferred.length} certificate${deferred.length === 1 ? ' is' : 's are'} backing off after failed issuances`,
      `The next attempt is due after ${next}; run \`certops apply\` then, or \`certops apply --retry-now\` once the cause is fixed.`,
    );
  }
  return ExitCode.Ok;
}

/** One line when an operation starts or resumes, and one for each failure; quiet otherwise. */
function progressLine(ctx: Context, e: ApplyEvent): string {
  if (e.step === 'started')
    return ctx.style.dim(`  … ${e.certificate} (operation ${e.operationId})\n`);
  if (e.step === 'issue-failed')
    return ctx.style.red(`  ✗ ${e.certificate}: ${(e.message ?? '').split('\n')[0]}\n`);
  if (e.step === 'deploy-failed')
    return ctx.style.red(
      `  ✗ ${e.certificate} → ${e.target ?? '?'}: ${(e.message ?? '').split('\n')[0]}\n`,
    );
  if (e.step === 'rolled-back')
    return ctx.style.yellow(
      `  ↩ ${e.certificate} → ${e.target ?? '?'}: previous version restored\n`,
    );
  return '';
}

/** Lists every unwaived deny with its location, so the refusal says what to fix. */
function deniedError(r: PolicyReport): PolicyDeniedError {
  const lines = r.changes.flatMap((v) =>
    v.failed
      .filter((f) => f.level === 'deny')
      .map((f) => {
        const at = f.location ? ` (${f.location.file}:${f.location.line}:${f.location.col})` : '';
        return `  ${v.certificate}: ${f.id}${at}: ${f.message}`;
      }),
  );
  return new PolicyDeniedError(
    `policy denies ${r.summary.deny} result${r.summary.deny === 1 ? '' : 's'}; nothing was applied:\n${lines.join('\n')}`,
    'Fix the certificates (see `certops plan`), or add a Waiver (kind: Waiver) approved in review.',
  );
}
