// Call-site checks: every call resolves to a user function (data path, import alias or a rule
// of the same package) or to a builtin in the signature table, with a matching arity (inputs,
// or inputs + 1 output argument). Unknown names are OPA's "undefined function" type errors.
import type { CallTerm, Literal, Term } from '../syntax/ast.ts';
import { lookupBuiltin } from './builtins.ts';
import { diag, type CheckDiagnostic } from './diagnostics.ts';
import { pathKey, staticPrefix, type Resolution, type ResolvedModule } from './resolve.ts';
import { exprTerms } from './terms.ts';

export type Callee =
  | { readonly kind: 'user'; readonly path: readonly string[] }
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'dynamic' };

/** What a call's callee names, seen from module `m` (null module: a query). */
export function resolveCallee(c: CallTerm, res: Resolution, m: ResolvedModule | null): Callee {
  const head = c.callee.type === 'var' ? c.callee : c.callee.head;
  if (head.type !== 'var') return { kind: 'dynamic' };
  const steps = c.callee.type === 'ref' ? c.callee.path : [];
  const rest = staticPrefix(steps);
  if (rest.length !== steps.length) return { kind: 'dynamic' };
  const names = [head.name, ...rest];
  if (head.name === 'data') return { kind: 'user', path: names.slice(1) };
  const imported = m?.imports.get(head.name);
  if (imported && imported[0] === 'data') {
    return { kind: 'user', path: [...imported.slice(1), ...rest] };
  }
  if (m && res.rules.has(pathKey([...m.packagePath, head.name, ...rest]))) {
    return { kind: 'user', path: [...m.packagePath, ...names] };
  }
  return { kind: 'builtin', name: names.join('.') };
}

export function checkCall(
  c: CallTerm,
  res: Resolution,
  m: ResolvedModule | null,
  out: CheckDiagnostic[],
): void {
  const callee = resolveCallee(c, res, m);
  const n = c.args.length;
  if (callee.kind === 'dynamic') {
    out.push(
      diag('REGO_UNSUPPORTED', c.location, 'unsupported: call with a computed function name'),
    );
  } else if (callee.kind === 'user') {
    const rules = res.rules.get(pathKey(callee.path));
    const name = `data.${pathKey(callee.path)}`;
    const fn = rules?.find((r) => r.kind === 'function');
    if (!fn) out.push(diag('rego_type_error', c.location, `undefined function ${name}`));
    else if (n !== fn.arity && n !== fn.arity + 1) out.push(arity(c, name, n, fn.arity));
  } else {
    const sig = lookupBuiltin(callee.name);
    if (!sig) out.push(diag('rego_type_error', c.location, `undefined function ${callee.name}`));
    else if (n !== sig.arity && n !== sig.arity + 1) out.push(arity(c, callee.name, n, sig.arity));
    else if (sig.kind === 'unsupported') {
      out.push(diag('REGO_UNSUPPORTED', c.location, `unsupported: builtin ${callee.name}`));
    }
  }
}

const arity = (c: CallTerm, name: string, have: number, want: number): CheckDiagnostic =>
  diag(
    'rego_type_error',
    c.location,
    `${name}: arity mismatch: have ${have} arguments, want ${want}`,
  );

/** Every call term inside `t`, including comprehension bodies. */
export function callsIn(t: Term, out: CallTerm[] = []): CallTerm[] {
  visitTerms(t, (x) => {
    if (x.type === 'call') out.push(x);
  });
  return out;
}

/** Pre-order visit of a term and all nested terms (including comprehension bodies). */
export function visitTerms(t: Term, f: (t: Term) => void): void {
  f(t);
  const rec = (x: Term): void => visitTerms(x, f);
  switch (t.type) {
    case 'ref':
      rec(t.head);
      t.path.forEach(rec);
      return;
    case 'call':
      rec(t.callee);
      t.args.forEach(rec);
      return;
    case 'array':
    case 'set':
      t.items.forEach(rec);
      return;
    case 'object':
      t.entries.forEach((e) => (rec(e.key), rec(e.value)));
      return;
    case 'infix':
      rec(t.left);
      rec(t.right);
      return;
    case 'in':
      if (t.key) rec(t.key);
      rec(t.value);
      rec(t.collection);
      return;
    case 'arraycomp':
    case 'setcomp':
      rec(t.head);
      break;
    case 'objectcomp':
      rec(t.key);
      rec(t.value);
      break;
    default:
      return;
  }
  for (const lit of t.body.literals) visitLiteral(lit, f);
}

export function visitLiteral(lit: Literal, f: (t: Term) => void): void {
  for (const x of exprTerms(lit.expr)) visitTerms(x, f);
  for (const w of lit.with) visitTerms(w.value, f);
  if (lit.expr.type === 'every') lit.expr.body.literals.forEach((l) => visitLiteral(l, f));
}
