// Variable safety (OPA's "var x is unsafe"): every var in a body must be bound by a positive
// literal before it is used. Literals are scheduled in dependency order (OPA reorders bodies
// the same way), so `y > 1; y := 2` is safe. Negated literals and `every` bind nothing.
// Contract: `checkBody` returns the vars bound after the body and appends diagnostics.
import type { CallTerm, Literal, Query, Term } from '../syntax/ast.ts';
import { diag, type CheckDiagnostic } from './diagnostics.ts';
import {
  collect,
  emptyUse,
  patternValues,
  patternVars,
  queryVars,
  type VarMap,
  type VarUse,
} from './terms.ts';

interface Step {
  readonly needs: VarMap;
  readonly binds: VarMap;
  readonly use: VarUse;
  /** Nested queries to check once scheduled, with the extra vars they bind. */
  readonly nested: { query: Query; extra: string[] }[];
}

/** Tells whether a call's last argument is an output (`count(xs, n)`). */
export type OutputArg = (c: CallTerm) => boolean;

export function checkBody(
  body: Query,
  globals: ReadonlySet<string>,
  out: CheckDiagnostic[],
  outputArg: OutputArg,
): Set<string> {
  const bound = new Set(globals);
  // Locals declared by `some x` or `x :=` shadow globals of the same name.
  for (const lit of body.literals) {
    const e = lit.expr;
    if (e.type === 'some') e.vars.forEach((v) => bound.delete(v.name));
    if (e.type === 'assign' && e.op === ':=')
      patternVars(e.left, new Set()).forEach((_l, k) => bound.delete(k));
  }
  const outer = new Set(queryVars(body, [], false).map((v) => v.name));
  let pending = [...body.literals];
  for (let progress = true; progress && pending.length > 0;) {
    progress = false;
    const next: Literal[] = [];
    for (const lit of pending) {
      const step = analyze(lit, bound, outer, outputArg);
      if (step.needs.size > 0) {
        next.push(lit);
        continue;
      }
      progress = true;
      step.binds.forEach((_l, k) => bound.add(k));
      for (const c of step.use.closures) checkClosure(c, bound, out, outputArg);
      for (const n of step.nested) {
        checkBody(n.query, new Set([...bound, ...n.extra]), out, outputArg);
      }
    }
    pending = next;
  }
  const reported = new Set<string>();
  for (const lit of pending) {
    for (const [name, loc] of analyze(lit, bound, outer, outputArg).needs) {
      if (reported.has(name) || bound.has(name)) continue;
      reported.add(name);
      out.push(diag('rego_unsafe_var_error', loc, `var ${name} is unsafe`));
    }
  }
  // Reported vars count as bound from here on, so each is reported once.
  reported.forEach((k) => bound.add(k));
  return bound;
}

/** Checks that `t`'s vars are all in `bound` (rule heads, after the body). */
export function checkBound(
  t: Term,
  bound: ReadonlySet<string>,
  out: CheckDiagnostic[],
  outputArg: OutputArg,
): void {
  const use = collect(t, bound, new Set(), emptyUse());
  for (const [name, loc] of [...use.needs, ...use.outputs]) {
    out.push(diag('rego_unsafe_var_error', loc, `var ${name} is unsafe`));
  }
  for (const c of use.closures) checkClosure(c, bound, out, outputArg);
}

function checkClosure(
  t: Term,
  bound: ReadonlySet<string>,
  out: CheckDiagnostic[],
  outputArg: OutputArg,
): void {
  if (t.type !== 'arraycomp' && t.type !== 'setcomp' && t.type !== 'objectcomp') return;
  const inner = checkBody(t.body, bound, out, outputArg);
  if (t.type === 'objectcomp') {
    checkBound(t.key, inner, out, outputArg);
    checkBound(t.value, inner, out, outputArg);
  } else checkBound(t.head, inner, out, outputArg);
}

function analyze(
  lit: Literal,
  bound: ReadonlySet<string>,
  outer: ReadonlySet<string>,
  outputArg: OutputArg,
): Step {
  const use = emptyUse();
  const binds: VarMap = new Map();
  const nested: Step['nested'] = [];
  const e = lit.expr;
  const value = (t: Term): void => void collect(t, bound, outer, use);
  for (const w of lit.with) value(w.value);
  switch (e.type) {
    case 'some':
      break;
    case 'term':
      if (e.term.type === 'call' && outputArg(e.term)) {
        const args = e.term.args;
        const last = args[args.length - 1] as Term;
        args.slice(0, -1).forEach(value);
        unify(last, { ...e.term, args: args.slice(0, -1) }, bound, outer, use, binds);
      } else value(e.term);
      break;
    case 'assign':
      if (e.op === ':=') {
        patternValues(e.left).forEach(value);
        patternVars(e.left, bound, binds);
        value(e.right);
      } else unify(e.left, e.right, bound, outer, use, binds);
      break;
    case 'somein':
      value(e.collection);
      for (const p of e.key ? [e.key, e.value] : [e.value]) {
        patternValues(p).forEach(value);
        patternVars(p, bound, binds);
      }
      break;
    case 'every':
      value(e.collection);
      nested.push({ query: e.body, extra: [e.value.name, ...(e.key ? [e.key.name] : [])] });
      break;
  }
  const needs = new Map(use.needs);
  if (lit.negated) {
    use.outputs.forEach((l, k) => needs.has(k) || needs.set(k, l));
    binds.clear();
  } else {
    use.outputs.forEach((l, k) => binds.has(k) || binds.set(k, l));
  }
  for (const k of binds.keys()) needs.delete(k);
  return { needs, binds: lit.negated ? new Map() : binds, use, nested };
}

/** `l = r`: one side's pattern vars are bound when the other side is fully known. */
function unify(
  l: Term,
  r: Term,
  bound: ReadonlySet<string>,
  outer: ReadonlySet<string>,
  use: VarUse,
  binds: VarMap,
): void {
  const pat = (t: Term): VarMap => patternVars(t, bound);
  const known = (t: Term): boolean => {
    const u = collect(t, bound, outer);
    return u.needs.size === 0 && pat(t).size === 0;
  };
  const sides: [Term, Term][] = [
    [l, r],
    [r, l],
  ];
  if (l.type === 'array' && r.type === 'array' && l.items.length === r.items.length) {
    l.items.forEach((x, i) => unify(x, r.items[i] as Term, bound, outer, use, binds));
    return;
  }
  if (l.type === 'object' && r.type === 'object' && l.entries.length === r.entries.length) {
    const pairs = l.entries.map((e) => [e, r.entries.find((f) => sameKey(e.key, f.key))] as const);
    if (pairs.every(([, f]) => f !== undefined)) {
      for (const [e, f] of pairs) if (f) unify(e.value, f.value, bound, outer, use, binds);
      return;
    }
  }
  for (const [a, b] of sides) {
    if (pat(a).size > 0 && known(b)) {
      patternValues(a).forEach((t) => collect(t, bound, outer, use));
      pat(a).forEach((loc, k) => binds.set(k, loc));
      collect(b, bound, outer, use);
      return;
    }
  }
  // Neither side can bind the other: every var of both must be known already.
  collect(l, bound, outer, use);
  collect(r, bound, outer, use);
}

/** Scalar object keys that are equal as written (`"a"` and `"a"`, `1` and `1`). */
function sameKey(a: Term, b: Term): boolean {
  if (a.type === 'string' && b.type === 'string') return a.value === b.value;
  if (a.type === 'number' && b.type === 'number') return a.text === b.text;
  return (
    a.type === b.type &&
    (a.type === 'null' || (a.type === 'boolean' && b.type === 'boolean' && a.value === b.value))
  );
}
