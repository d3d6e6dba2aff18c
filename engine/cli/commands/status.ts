// `certops status`: health, expiry, targets and last operation of every certificate.
import { Command } from 'commander';
import { ExitCode } from '../../errors.ts';
import { desiredCertificates } from '../../plan/desired.ts';
import { certificateStatus, type CertificateStatus } from '../../status/status.ts';
import { writeJson, type Runner } from '../command.ts';
import type { Context } from '../context.ts';
import { lifecycleDeps, loadValidModel } from '../lifecycle.ts';

export function statusCommand(runner: Runner): Command {
  return new Command('status')
    .summary('health, expiry and deployment of every certificate')
    .description(
      'Per certificate: health (Healthy, Progressing, Degraded, Expired), expiry, where it is ' +
        'deployed and verified, and the last operation, from the state branch. Changes nothing.',
    )
    .addHelpText('after', '\nExamples:\n  certops status\n  certops status --json --now 2027-01-15')
    .action(runner.action<object>(runStatus));
}

async function runStatus(ctx: Context): Promise<ExitCode> {
  const model = await loadValidModel(ctx);
  const deps = await lifecycleDeps(ctx, model);
  const snapshot = await deps.store.read();
  const rows = certificateStatus(
    desiredCertificates(model),
    snapshot.inventory,
    await deps.store.operations(),
    ctx.clock.now(),
  );
  if (ctx.json) writeJson(ctx, { certificates: rows, stateHead: snapshot.head });
  else ctx.io.stdout(renderStatus(rows, ctx));
  return ExitCode.Ok;
}

function renderStatus(rows: CertificateStatus[], ctx: Context): string {
  const { style } = ctx;
  const paint = (h: string): string =>
    h === 'Healthy' ? style.green(h) : h === 'Progressing' ? style.yellow(h) : style.red(h);
  const table = rows.map((r) => [
    r.name,
    r.health,
    r.notAfter ? r.notAfter.slice(0, 10) : '-',
    r.daysLeft === undefined ? '-' : `${r.daysLeft}d`,
    r.targets.map((t) => `${t.target}${t.verifiedAt ? ' ✓' : t.deployed ? '' : ' …'}`).join(', ') ||
      '-',
    r.lastOperation
      ? `${r.lastOperation.action} ${r.lastOperation.step} ${r.lastOperation.at.slice(0, 16).replace('T', ' ')}`
      : '-',
  ]);
  const head = ['CERTIFICATE', 'HEALTH', 'EXPIRES', 'LEFT', 'TARGETS', 'LAST OPERATION'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[], colour = false): string =>
    cells
      .map((c, i) =>
        colour && i === 1
          ? paint(c) + ' '.repeat((widths[i] ?? 0) - c.length)
          : c.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const out = [style.bold(line(head)), ...table.map((r) => line(r, true))];
  const notes = rows.filter((r) => r.health !== 'Healthy').map((r) => `  ${r.name}: ${r.detail}`);
  const counts = ['Healthy', 'Progressing', 'Degraded', 'Expired'].map(
    (h) => `${rows.filter((r) => r.health === h).length} ${h.toLowerCase()}`,
  );
  return `${out.join('\n')}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}\n${rows.length} certificate${rows.length === 1 ? '' : 's'}: ${counts.join(', ')}\n`;
}
