// Plan text in Terraform's grammar with certificate verbs, one summary line at the end.
//   + issue   ^ renew   -/+ replace   > deploy   ! redeploy (drift)   < undeploy   - retire
import type { Action, Change, Plan } from '../plan/planner.ts';
import type { Style } from './style.ts';

const SYMBOL: Record<Action, string> = {
  issue: '+',
  renew: '^',
  replace: '-/+',
  deploy: '>',
  undeploy: '<',
  retire: '-',
};
const ORDER: Action[] = ['issue', 'renew', 'replace', 'deploy', 'undeploy', 'retire'];

function symbolOf(c: Change): string {
  return c.action === 'deploy' && c.reasons.some((r) => r.code === 'TargetDrift')
    ? '!'
    : SYMBOL[c.action];
}

export function planSummary(p: Plan): Record<Action, number> {
  const counts = Object.fromEntries(ORDER.map((a) => [a, 0])) as Record<Action, number>;
  for (const c of p.changes) counts[c.action]++;
  return counts;
}

export function renderPlan(p: Plan, style: Style): string {
  const notes = p.notices.map((n) => style.yellow(`note: ${n}\n`)).join('');
  if (p.changes.length === 0) {
    return `${notes}No changes. ${p.unchanged.length} certificate${p.unchanged.length === 1 ? ' is' : 's are'} up to date.\n`;
  }
  const color = (c: Change, s: string): string =>
    c.action === 'issue'
      ? style.green(s)
      : c.action === 'retire' || c.action === 'undeploy'
        ? style.red(s)
        : style.yellow(s);
  const lines = ['certops will perform the following actions:', ''];
  for (const c of p.changes) {
    const head = `${symbolOf(c).padStart(3)} ${c.action.padEnd(8)} ${c.certificate}`;
    lines.push(color(c, head));
    for (const r of c.reasons) lines.push(`        ${style.bold(r.code)}: ${r.message}`);
    if (c.summary) lines.push(`        ${c.summary}`);
    if (c.deploy.length)
      lines.push(style.dim(`        → ${c.deploy.map((t) => t.target).join(', ')}`));
    if (c.undeploy.length)
      lines.push(style.dim(`        ✕ ${c.undeploy.map((t) => t.target).join(', ')}`));
    lines.push(
      style.dim(
        `        operation ${c.operationId}${c.previousSerial ? `, replaces serial ${c.previousSerial}` : ''}`,
      ),
    );
  }
  const counts = planSummary(p);
  const parts = ORDER.map((a) => `${counts[a]} to ${a}`);
  lines.push(
    '',
    `${style.bold('Plan:')} ${parts.join(', ')}. ${p.unchanged.length} unchanged. (plan ${p.planId})`,
  );
  return `${notes}${lines.join('\n')}\n`;
}
