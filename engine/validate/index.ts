// Validation beyond the schema: the list of checks, run over every schema-valid object.
import type { Diagnostic } from '../diagnostics.ts';
import { normalizeDiagnostics } from '../diagnostics.ts';
import { objectDiagnostic } from '../loader/locate-object.ts';
import type { Kind } from '../model/kinds.ts';
import type { Model, ModelObject } from '../model/object.ts';
import type { Check, CheckContext } from './check.ts';
import { duplicateNames } from './checks/duplicates.ts';
import { keyAndState } from './checks/keys.ts';
import { durations, renewalWindow } from './checks/lifetimes.ts';
import { subjectNames } from './checks/names.ts';
import { targetPaths } from './checks/paths.ts';
import { pkcs12Password } from './checks/pkcs12.ts';
import { waiverExpiry } from './checks/waivers.ts';
import { danglingReferences } from './checks/references.ts';

export const CHECKS: readonly Check[] = [
  duplicateNames,
  danglingReferences,
  subjectNames,
  durations,
  renewalWindow,
  keyAndState,
  targetPaths,
  pkcs12Password,
  waiverExpiry,
];

export function checkModel(
  model: Model,
  now: Date,
  checks: readonly Check[] = CHECKS,
): Diagnostic[] {
  const valid = model.objects.filter((o) => o.valid);
  const byName = new Map<Kind, Map<string, ModelObject>>();
  for (const o of valid) {
    let m = byName.get(o.kind);
    if (!m) byName.set(o.kind, (m = new Map()));
    if (!m.has(o.name)) m.set(o.name, o);
  }
  const ctx: CheckContext = { model, byName, valid, now };
  const out: Diagnostic[] = [];
  for (const check of checks) {
    for (const f of check(ctx)) out.push(objectDiagnostic(model.texts, f.object, f));
  }
  return normalizeDiagnostics(out);
}
