// Durations are positive; a certificate's renewal window is shorter than its validity; a
// validity longer than the issuer's maximum is reported (the CA caps it).
import { formatDuration, parseDuration } from '../../util/duration.ts';
import type { PathSegment } from '../../loader/positions.ts';
import { isPlainObject } from '../../model/merge.ts';
import type { ModelObject } from '../../model/object.ts';
import type { Check, ObjectFinding } from '../check.ts';
import { validOf } from '../check.ts';

const DURATION_KEYS = new Set([
  'duration',
  'renewBefore',
  'maxValidity',
  'timeout',
  'propagationTimeout',
  'orderTimeout',
]);

function walkDurations(
  o: ModelObject,
  v: unknown,
  path: PathSegment[],
  out: ObjectFinding[],
): void {
  if (Array.isArray(v)) v.forEach((x, i) => walkDurations(o, x, [...path, i], out));
  else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (DURATION_KEYS.has(k) && typeof x === 'string') {
        const r = parseDuration(x);
        if (!r.ok)
          out.push({
            object: o,
            code: 'bad-duration',
            path: [...path, k],
            message: r.reason,
            hint: 'Use a positive duration such as 90d, 720h or 90m.',
          });
      } else walkDurations(o, x, [...path, k], out);
    }
  }
}

export const durations: Check = (ctx) => {
  const out: ObjectFinding[] = [];
  for (const o of ctx.valid) walkDurations(o, (o.value as { spec?: unknown }).spec, ['spec'], out);
  return out;
};

export const renewalWindow: Check = (ctx) => {
  const out: ObjectFinding[] = [];
  for (const o of [...validOf(ctx, 'Certificate'), ...validOf(ctx, 'Profile')]) {
    const spec = o.value.spec as {
      duration?: string;
      renewBefore?: string;
      renewBeforePercentage?: number;
    };
    if (spec.renewBefore !== undefined && spec.renewBeforePercentage !== undefined) {
      out.push({
        object: o,
        code: 'renewal-conflict',
        path: ['spec', 'renewBeforePercentage'],
        at: 'key',
        message: 'renewBefore and renewBeforePercentage are both set',
        hint: 'Keep one of them.',
      });
    }
    if (!spec.duration || !spec.renewBefore) continue;
    const life = parseDuration(spec.duration);
    const before = parseDuration(spec.renewBefore);
    if (life.ok && before.ok && before.ms >= life.ms) {
      out.push({
        object: o,
        code: 'renewal-window',
        path: ['spec', 'renewBefore'],
        message: `renewBefore ${spec.renewBefore} is not shorter than the validity ${spec.duration}; the certificate would be renewed as soon as it is issued`,
        hint: `Make renewBefore shorter than duration, e.g. ${formatDuration(Math.floor(life.ms / 3))} (a third of it).`,
      });
    }
  }
  for (const o of validOf(ctx, 'Certificate')) {
    const issuer = ctx.byName.get('Issuer')?.get(o.value.spec.issuer) as
      ModelObject<'Issuer'> | undefined;
    const spec = issuer?.value.spec;
    if (spec?.type !== 'ca' || !spec.maxValidity || !o.value.spec.duration) continue;
    const max = parseDuration(spec.maxValidity);
    const want = parseDuration(o.value.spec.duration);
    if (max.ok && want.ok && want.ms > max.ms) {
      out.push({
        object: o,
        severity: 'warning',
        code: 'validity-capped',
        path: ['spec', 'duration'],
        message: `duration ${o.value.spec.duration} exceeds issuer "${o.value.spec.issuer}" maxValidity ${spec.maxValidity}; it will be capped`,
        hint: `Set duration to ${spec.maxValidity} or less.`,
      });
    }
  }
  return out;
};
