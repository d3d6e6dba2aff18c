// A file target that writes a PKCS#12 file says where its password comes from: certops never
// writes an unprotected PFX, and the schema cannot express "required when files.pkcs12 is set".
import type { Check, ObjectFinding } from '../check.ts';
import { validOf } from '../check.ts';

export const pkcs12Password: Check = (ctx) => {
  const out: ObjectFinding[] = [];
  for (const o of validOf(ctx, 'Target')) {
    const spec = o.value.spec;
    if (spec.type !== 'file' || spec.files?.pkcs12 === undefined || spec.pkcs12Password) continue;
    out.push({
      object: o,
      code: 'pkcs12-password',
      path: ['spec', 'files', 'pkcs12'],
      message:
        'PKCS#12 output needs spec.pkcs12Password; certops does not write unprotected PKCS#12 files',
      hint: 'Add pkcs12Password: { env: VARIABLE } or { file: /path/outside/the/repository } to the target.',
    });
  }
  return out;
};
