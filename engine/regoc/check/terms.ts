// Variable analysis of terms for the safety check. `collect` finds, for a term evaluated with
// the variables in `bound` known: `needs` (unbound vars that must be bound elsewhere first) and
// `outputs` (unbound vars in ref steps, `a[x]`, which iterating the ref binds). `_` is never
// reported. Comprehensions are closures: only their vars that also occur in the enclosing body
// (`outer`) count as needs; their own bodies are checked when the literal is scheduled.
import type { Expr, Query, Term } from '../syntax/ast.ts';
import type { Location } from '../syntax/location.ts';

export type VarMap = Map<string, Location>;

export interface VarUse {
  readonly needs: VarMap;
  readonly outputs: VarMap;
  /** Comprehensions met, to be checked with the bindings at scheduling time. */
  readonly closures: Term[];
}

export const emptyUse = (): VarUse => ({ needs: new Map(), outputs: new Map(), closures: [] });

const add = (m: VarMap, name: string, loc: Location): void => {
  if (!m.has(name)) m.set(name, loc);
};

export function collect(
  t: Term,
  bound: ReadonlySet<string>,
  outer: ReadonlySet<string>,
  use: VarUse = emptyUse(),
  inRefStep = false,
): VarUse {
  const rec = (x: Term, step = false): void => void collect(x, bound, outer, use, step);
  switch (t.type) {
    case 'var':
      if (t.name !== '_' && !bound.has(t.name))
        add(inRefStep ? use.outputs : use.needs, t.name, t.location);
      return use;
    case 'ref':
      rec(t.head);
      for (const s of t.path) rec(s, s.type === 'var');
      return use;
    case 'call':
      t.args.forEach((a) => rec(a));
      return use;
    case 'array':
    case 'set':
      t.items.forEach((a) => rec(a));
      return use;
    case 'object':
      for (const e of t.entries) {
        rec(e.key);
        rec(e.value);
      }
      return use;
    case 'infix':
      rec(t.left);
      rec(t.right);
      return use;
    case 'in':
      if (t.key) rec(t.key);
      rec(t.value);
      rec(t.collection);
      return use;
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp':
      for (const v of allVars(t)) {
        if (outer.has(v.name) && !bound.has(v.name)) add(use.needs, v.name, v.location);
      }
      use.closures.push(t);
      return use;
    default:
      return use;
  }
}

/** Every var occurrence in a term, inside comprehensions too unless `closures` is false. */
export function allVars(
  t: Term,
  out: { name: string; location: Location }[] = [],
  closures = true,
) {
  const rec = (x: Term): void => void allVars(x, out, closures);
  switch (t.type) {
    case 'var':
      if (t.name !== '_') out.push({ name: t.name, location: t.location });
      break;
    case 'ref':
      rec(t.head);
      t.path.forEach(rec);
      break;
    case 'call':
      t.args.forEach(rec);
      break;
    case 'array':
    case 'set':
      t.items.forEach(rec);
      break;
    case 'object':
      t.entries.forEach((e) => (rec(e.key), rec(e.value)));
      break;
    case 'infix':
      rec(t.left);
      rec(t.right);
      break;
    case 'in':
      if (t.key) rec(t.key);
      rec(t.value);
      rec(t.collection);
      break;
    case 'arraycomp':
    case 'setcomp':
      if (!closures) break;
      rec(t.head);
      queryVars(t.body, out);
      break;
    case 'objectcomp':
      if (!closures) break;
      rec(t.key);
      rec(t.value);
      queryVars(t.body, out);
      break;
    default:
  }
  return out;
}

/** Every var occurrence in a query's terms (`closures` as for allVars). */
export function queryVars(
  q: Query,
  out: { name: string; location: Location }[] = [],
  closures = true,
) {
  for (const lit of q.literals) {
    for (const t of exprTerms(lit.expr)) allVars(t, out, closures);
    for (const w of lit.with) allVars(w.value, out, closures);
    if (lit.expr.type === 'every' && closures) queryVars(lit.expr.body, out);
  }
  return out;
}

/** The terms directly in an expression (not an `every` body). */
export function exprTerms(e: Expr): Term[] {
  switch (e.type) {
    case 'assign':
      return [e.left, e.right];
    case 'term':
      return [e.term];
    case 'some':
      return [];
    case 'somein':
      return [...(e.key ? [e.key] : []), e.value, e.collection];
    case 'every':
      return [...(e.key ? [e.key] : []), e.value, e.collection];
  }
}

/** Vars a pattern binds: a var, or arrays/objects of patterns (object keys are values). */
export function patternVars(t: Term, bound: ReadonlySet<string>, out: VarMap = new Map()): VarMap {
  if (t.type === 'var') {
    if (t.name !== '_' && !bound.has(t.name)) add(out, t.name, t.location);
  } else if (t.type === 'array') t.items.forEach((x) => patternVars(x, bound, out));
  else if (t.type === 'object') t.entries.forEach((e) => patternVars(e.value, bound, out));
  return out;
}

/** Non-pattern parts of a pattern term (object keys, refs, calls inside arrays…). */
export function patternValues(t: Term): Term[] {
  if (t.type === 'var') return [];
  if (t.type === 'array') return t.items.flatMap(patternValues);
  if (t.type === 'object') return t.entries.flatMap((e) => [e.key, ...patternValues(e.value)]);
  return [t];
}
