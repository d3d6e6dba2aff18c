// A waiver past its expiry no longer applies: say so, so its owner renews or removes it.
// (Policy evaluation turns the waived violation back on by itself.)
import type { Check, ObjectFinding } from '../check.ts';
import { validOf } from '../check.ts';

/** End of the waiver's validity: a date means the end of that day, UTC. */
export function waiverExpiresAt(expires: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires)
    ? new Date(`${expires}T23:59:59.999Z`)
    : new Date(expires);
}

export const waiverExpiry: Check = (ctx) => {
  const out: ObjectFinding[] = [];
  for (const o of validOf(ctx, 'Waiver')) {
    if (waiverExpiresAt(o.value.spec.expires).getTime() < ctx.now.getTime()) {
      out.push({
        object: o,
        severity: 'warning',
        code: 'waiver-expired',
        path: ['spec', 'expires'],
        message: `waiver expired on ${o.value.spec.expires}; rule ${o.value.spec.rule} applies again`,
        hint: 'Fix the underlying violation and delete the waiver, or extend it through a reviewed pull request.',
      });
    }
  }
  return out;
};
