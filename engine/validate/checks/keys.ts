// Key sizes fit their algorithm; a revoked certificate says why.
import type { Check, ObjectFinding } from '../check.ts';
import { validOf } from '../check.ts';

const SIZES: Record<string, readonly number[]> = {
  ECDSA: [256, 384, 521],
  RSA: [1024, 2048, 3072, 4096],
};

export const keyAndState: Check = (ctx) => {
  const out: ObjectFinding[] = [];
  for (const o of [...validOf(ctx, 'Certificate'), ...validOf(ctx, 'Profile')]) {
    const key = o.value.spec.privateKey;
    if (key?.algorithm && key.size !== undefined) {
      const allowed = SIZES[key.algorithm];
      if (!allowed) {
        out.push({
          object: o,
          code: 'key-size',
          path: ['spec', 'privateKey', 'size'],
          message: `${key.algorithm} keys have no size option`,
          hint: 'Remove privateKey.size.',
        });
      } else if (!allowed.includes(key.size)) {
        out.push({
          object: o,
          code: 'key-size',
          path: ['spec', 'privateKey', 'size'],
          message: `${key.size} is not a size for ${key.algorithm} keys`,
          hint: `Use one of ${allowed.join(', ')}.`,
        });
      }
    }
  }
  for (const o of [...validOf(ctx, 'Certificate'), ...validOf(ctx, 'Profile')]) {
    const caUsage = (o.value.spec.keyUsages ?? []).findIndex(
      (u) => u === 'keyCertSign' || u === 'cRLSign',
    );
    if (caUsage >= 0) {
      out.push({
        object: o,
        code: 'key-usage',
        path: ['spec', 'keyUsages', caUsage],
        message: `${o.value.spec.keyUsages?.[caUsage]} makes a CA certificate; certops issues end-entity certificates only`,
        hint: 'Remove it (CA certificates come from `certops init --ca`).',
      });
    }
  }
  for (const o of validOf(ctx, 'Certificate')) {
    const spec = o.value.spec;
    if (spec.state === 'revoked' && !spec.revocation) {
      out.push({
        object: o,
        code: 'revocation-reason',
        path: ['spec', 'state'],
        message: 'a revoked certificate needs spec.revocation.reason',
        hint: 'Add revocation: { reason: keyCompromise } (or another RFC 5280 reason).',
      });
    } else if (spec.revocation && spec.state !== 'revoked') {
      out.push({
        object: o,
        severity: 'warning',
        code: 'revocation-unused',
        path: ['spec', 'revocation'],
        at: 'key',
        message: 'spec.revocation is ignored unless state is "revoked"',
        hint: 'Remove it, or set state: revoked.',
      });
    }
  }
  return out;
};
