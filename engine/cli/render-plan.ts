// Plan text in Terraform's grammar with certificate verbs, one summary line at the end.
//   + issue   ^ renew   -/+ replace   > deploy   ! redeploy (drift)   < undeploy   - retire
import type { Action, Change, Plan } from '../plan/planner.ts';
import type { ChangeVerdict, LocatedResult, PolicyReport } from '../policy/evaluate.ts';
import type { PlanPolicy } from './plan-policy.ts';
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

export function renderPlan(p: Plan, style: Style, policy: PlanPolicy = {}): string {
  const notes = [...p.notices, ...waiverNotes(policy.report)]
    .map((n) => style.yellow(`note: ${n}\n`))
    .join('');
  if (p.changes.length === 0) {
    return `${notes}No changes. ${p.unchanged.length} certificate${p.unchanged.length === 1 ? ' is' : 's are'} up to date.\n`;
  }
  const verdicts = new Map(policy.report?.changes.map((v) => [v.certificate, v]));
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
    const v = verdicts.get(c.certificate);
    if (v) lines.push(...verdictLines(v, style));
  }
  const counts = planSummary(p);
  const parts = ORDER.map((a) => `${counts[a]} to ${a}`);
  lines.push(
    '',
    `${style.bold('Plan:')} ${parts.join(', ')}. ${p.unchanged.length} unchanged. (plan ${p.planId})`,
  );
  lines.push(...policySummary(policy, style));
  return `${notes}${lines.join('\n')}\n`;
}

function where(r: LocatedResult): string {
  const l = r.location;
  return l ? `${l.file}:${l.line}:${l.col}${l.path ? ` ${l.path}` : ''}` : (r.path ?? '');
}

/** Per change: counting results first (deny before warn), then waived ones, each with its line. */
function verdictLines(v: ChangeVerdict, style: Style): string[] {
  const out: string[] = [];
  const expired = new Map(v.expiredWaiver.map((e) => [e.result, e]));
  for (const r of v.failed) {
    const mark = r.level === 'deny' ? style.red('✗ deny') : style.yellow('! warn');
    const e = expired.get(r);
    const why = e ? ` (waiver ${e.waiver} expired ${e.expires})` : '';
    out.push(`        ${mark} ${style.bold(r.id)}${why}: ${r.message}`);
    const at = where(r);
    if (at) out.push(style.dim(`            at ${at}`));
  }
  for (const w of v.waived) {
    out.push(
      `        ${style.cyan('~ waived')} ${style.bold(w.result.id)} by waiver ${w.waiver} until ${w.expires}: ${w.result.message}`,
    );
  }
  return out;
}

function waiverNotes(r: PolicyReport | undefined): string[] {
  return (r?.waiverWarnings ?? []).map((w) =>
    w.reason === 'matches-nothing'
      ? `waiver ${w.waiver}${w.file ? ` (${w.file})` : ''} matches no policy result; delete it if the violation is fixed`
      : `waiver ${w.waiver}${w.file ? ` (${w.file})` : ''} expires beyond the allowed horizon and is ignored; shorten spec.expires`,
  );
}

function policySummary(policy: PlanPolicy, style: Style): string[] {
  const r = policy.report;
  if (!r) return [style.dim('Policy: no policies/ directory; nothing was checked.')];
  const s = r.summary;
  const parts = [
    `${s.deny} denied`,
    `${s.warn} warning${s.warn === 1 ? '' : 's'}`,
    `${s.waived} waived`,
  ];
  if (s.expiredWaivers) parts.push(`${s.expiredWaivers} with an expired waiver`);
  const line = `${style.bold('Policy:')} ${parts.join(', ')} (${r.evaluated} change${r.evaluated === 1 ? '' : 's'} checked against ${policy.dir ?? 'policies'}/).`;
  if (!r.denied) return [line];
  return [
    line,
    style.red(
      'Blocked by policy: apply will refuse. Fix the denied results, or add a Waiver (kind: Waiver) approved in review.',
    ),
  ];
}
