// Every name an object refers to (issuer, profile, targets, notifiers) must exist, and be of the
// right type where that matters.
import type { PathSegment } from '../../loader/positions.ts';
import type { Kind } from '../../model/kinds.ts';
import type { ModelObject } from '../../model/object.ts';
import { closest } from '../../util/suggest.ts';
import type { Check, CheckContext, ObjectFinding } from '../check.ts';

interface Ref {
  path: PathSegment[];
  kind: Kind;
  name: string;
  /** Required spec.type of the referenced object, if any. */
  type?: string;
}

function refsOf(o: ModelObject): Ref[] {
  const refs: Ref[] = [];
  if (o.kind === 'Certificate') {
    const spec = (o as ModelObject<'Certificate'>).value.spec;
    refs.push({ path: ['spec', 'issuer'], kind: 'Issuer', name: spec.issuer });
    if (spec.profile) refs.push({ path: ['spec', 'profile'], kind: 'Profile', name: spec.profile });
    spec.deploy?.forEach((d, i) =>
      refs.push({ path: ['spec', 'deploy', i, 'target'], kind: 'Target', name: d.target }),
    );
    spec.notify?.forEach((n, i) =>
      refs.push({ path: ['spec', 'notify', i], kind: 'Notifier', name: n }),
    );
  } else if (o.kind === 'Issuer') {
    const spec = (o as ModelObject<'Issuer'>).value.spec;
    if (spec.type === 'acme') {
      spec.solvers?.forEach((s, i) => {
        if (s.http01?.nginxTarget) {
          refs.push({
            path: ['spec', 'solvers', i, 'http01', 'nginxTarget'],
            kind: 'Target',
            name: s.http01.nginxTarget,
            type: 'nginx',
          });
        }
      });
    }
  }
  return refs;
}

export const danglingReferences: Check = (ctx: CheckContext) => {
  const out: ObjectFinding[] = [];
  for (const o of ctx.valid) {
    for (const ref of refsOf(o)) {
      const names = ctx.byName.get(ref.kind);
      const target = names?.get(ref.name);
      if (!target) {
        const guess = closest(ref.name, names?.keys() ?? []);
        out.push({
          object: o,
          code: 'dangling-reference',
          path: ref.path,
          message: `${ref.kind} "${ref.name}" does not exist`,
          hint: guess
            ? `Did you mean "${guess}"?`
            : `Define a ${ref.kind} named "${ref.name}" in certs.d, or fix the name.`,
        });
      } else if (ref.type && (target.value as { spec: { type: string } }).spec.type !== ref.type) {
        out.push({
          object: o,
          code: 'wrong-reference-type',
          path: ref.path,
          message: `${ref.kind} "${ref.name}" is of type ${(target.value as { spec: { type: string } }).spec.type}, not ${ref.type}`,
          hint: `Refer to a ${ref.kind} of type ${ref.type}.`,
        });
      }
    }
  }
  return out;
};
