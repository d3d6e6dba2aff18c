// `certops validate`: checks certs.d and certops.yaml; `--explain <name>` shows an object's
// effective spec and where each value came from.
import { Command, Option } from 'commander';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics.ts';
import { ExitCode, UsageError } from '../../errors.ts';
import { KINDS, type Kind } from '../../model/kinds.ts';
import type { Model } from '../../model/object.ts';
import { explainObject } from '../../model/explain.ts';
import { renderExplanation } from '../render-explain.ts';
import { validateRepository } from '../../validate/validate-repo.ts';
import { writeJson, type Runner } from '../command.ts';
import type { Context } from '../context.ts';

interface ValidateOptions {
  explain?: string;
  kind?: Kind;
}

export function validateCommand(runner: Runner): Command {
  return new Command('validate')
    .summary('check certs.d and certops.yaml against the schemas and rules')
    .description(
      'Loads every YAML file under certs.d/ (and certops.yaml), applies _defaults.yaml files and ' +
        'profiles, and checks schemas, names, references, durations and paths. Never writes. ' +
        'Each finding names file:line:col, the path inside the document, and what to do.',
    )
    .option(
      '--explain <name>',
      'print the effective spec of an object, with where each value came from',
    )
    .addOption(
      new Option(
        '--kind <kind>',
        'kind of the object to explain, when a name is used by several kinds',
      ).choices(KINDS),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  certops validate\n  certops validate --json\n  certops validate --explain payments-api\n\n' +
        'Exit codes: 0 valid (warnings allowed), 3 invalid input.',
    )
    .action(runner.action<ValidateOptions>(runValidate));
}

async function runValidate(ctx: Context, opts: ValidateOptions): Promise<ExitCode> {
  // Progress goes to stderr on a terminal only, so pipes and --json stay clean.
  const progress =
    ctx.io.isTTY && !ctx.json
      ? (phase: 'read' | 'check', n: number) =>
          ctx.io.stderr(
            ctx.style.dim(
              phase === 'read' ? `reading ${n} files ...\n` : `checking ${n} objects ...\n`,
            ),
          )
      : undefined;
  const report = await validateRepository(ctx.repo, { now: ctx.clock.now(), progress });
  const { diagnostics, errors, warnings } = report;
  const code = errors > 0 ? ExitCode.InvalidInput : ExitCode.Ok;

  if (opts.explain !== undefined) {
    if (errors > 0) printDiagnostics(ctx, diagnostics, report.files, report.model);
    else return explain(ctx, report.model, opts.explain, opts.kind);
    return code;
  }
  if (ctx.json) {
    writeJson(ctx, {
      ok: errors === 0,
      repo: ctx.repo,
      files: report.files,
      objects: countByKind(report.model),
      errors,
      warnings,
      diagnostics,
    });
  } else {
    printDiagnostics(ctx, diagnostics, report.files, report.model);
  }
  return code;
}

function countByKind(model: Model): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of KINDS) counts[k] = 0;
  for (const o of model.objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  return counts;
}

function printDiagnostics(
  ctx: Context,
  diagnostics: Diagnostic[],
  files: number,
  model: Model,
): void {
  const { style } = ctx;
  for (const d of diagnostics) {
    const text = formatDiagnostic(d);
    const [head, ...rest] = text.split('\n');
    const colored = (head ?? '').replace(
      ` ${d.severity} `,
      ` ${d.severity === 'error' ? style.red('error') : style.yellow('warning')} `,
    );
    ctx.io.stdout(`${colored}\n${rest.map((l) => `${style.dim(l)}\n`).join('')}`);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const counts = Object.entries(countByKind(model))
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const summary = `${model.objects.length} objects in ${files} files${counts ? ` (${counts})` : ''}`;
  if (errors > 0) {
    ctx.io.stdout(
      `${style.red('✗')} ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}; ${summary}\n`,
    );
  } else {
    ctx.io.stdout(
      `${style.green('✓')} valid${warnings ? ` with ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}: ${summary}\n`,
    );
  }
}

function explain(ctx: Context, model: Model, name: string, kind: Kind | undefined): ExitCode {
  const matches = model.objects.filter(
    (o) => o.name === name && (kind === undefined || o.kind === kind),
  );
  if (matches.length === 0) {
    throw new UsageError(
      `no object named "${name}"${kind ? ` of kind ${kind}` : ''} in certs.d`,
      'Run `certops validate --json` to list what is loaded.',
    );
  }
  if (matches.length > 1) {
    throw new UsageError(
      `"${name}" names a ${matches.map((m) => m.kind).join(' and a ')}`,
      'Add --kind to choose one.',
    );
  }
  const explanation = explainObject(model, matches[0] as (typeof matches)[number]);
  if (ctx.json) writeJson(ctx, explanation);
  else ctx.io.stdout(renderExplanation(explanation, ctx.style));
  return ExitCode.Ok;
}
