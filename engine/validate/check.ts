// A check is a small pure function over the loaded model that returns typed findings; the
// validator runs the list in validate/index.ts. Checks see only schema-valid objects.
import type { Finding } from '../loader/locate-object.ts';
import type { Kind } from '../model/kinds.ts';
import type { Model, ModelObject } from '../model/object.ts';

export interface CheckContext {
  model: Model;
  /** Valid objects by kind, then name (the first definition of a name wins). */
  byName: Map<Kind, Map<string, ModelObject>>;
  valid: ModelObject[];
  /** The injected clock's time (waiver expiry). */
  now: Date;
}

export interface ObjectFinding extends Finding {
  object: ModelObject;
}

export type Check = (ctx: CheckContext) => ObjectFinding[];

export function validOf<K extends Kind>(ctx: CheckContext, kind: K): ModelObject<K>[] {
  return ctx.valid.filter((o): o is ModelObject<K> => o.kind === kind);
}
