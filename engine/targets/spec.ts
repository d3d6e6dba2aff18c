// Narrows a TargetContext's spec to the provider's own type. A mismatch is a wiring bug in the
// engine (the applier picked the wrong provider), not a user error.
import { CertopsError } from '../errors.ts';
import type { ExecTargetSpec, FileTargetSpec, NginxTargetSpec } from '../model/types.generated.ts';
import type { TargetContext } from './types.ts';

interface SpecByType {
  file: FileTargetSpec;
  nginx: NginxTargetSpec;
  exec: ExecTargetSpec;
}

export function specOf<T extends keyof SpecByType>(ctx: TargetContext, type: T): SpecByType[T] {
  if (ctx.spec.type !== type) {
    throw new CertopsError(
      'INTERNAL',
      `target ${ctx.name} has type ${ctx.spec.type}, but the ${type} provider was called`,
    );
  }
  return ctx.spec as SpecByType[T];
}
