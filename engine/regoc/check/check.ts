// Entry of the checker: resolve modules (+ an optional query), check call sites against the
// builtin table and user functions, and check variable safety of every rule and the query.
// Contract: never throws; `ok` is true when there is no diagnostic.
import type { Literal, Module, Query, Rule, Term } from '../syntax/ast.ts';
import { lookupBuiltin } from './builtins.ts';
import { checkCall, resolveCallee, visitLiteral, visitTerms } from './calls.ts';
import type { CheckDiagnostic } from './diagnostics.ts';
import { pathKey, resolve, type Resolution, type ResolvedModule } from './resolve.ts';
import { checkBody, checkBound, type OutputArg } from './safety.ts';
import { allVars, exprTerms } from './terms.ts';

export interface CheckResult {
  readonly ok: boolean;
  readonly resolution: Resolution;
  readonly diagnostics: readonly CheckDiagnostic[];
}

export function check(modules: readonly Module[], query?: Query): CheckResult {
  const resolution = resolve(modules);
  const out: CheckDiagnostic[] = [...resolution.diagnostics];
  for (const m of resolution.modules) {
    const globals = moduleGlobals(resolution, m);
    for (const rule of m.module.rules) {
      ruleTerms(rule).forEach((t) => visitTerms(t, callVisitor(resolution, m, out)));
      checkRule(rule, globals, out, outputArgOf(resolution, m));
    }
  }
  if (query) {
    query.literals.forEach((l) => visitLiteral(l, callVisitor(resolution, null, out)));
    checkBody(query, new Set(['input', 'data']), out, outputArgOf(resolution, null));
  }
  return { ok: out.length === 0, resolution, diagnostics: out };
}

const callVisitor =
  (res: Resolution, m: ResolvedModule | null, out: CheckDiagnostic[]) =>
  (t: Term): void => {
    if (t.type === 'call') checkCall(t, res, m, out);
  };

/** Names visible in every body of module `m`: roots, import aliases, the package's rules. */
export function moduleGlobals(res: Resolution, m: ResolvedModule): Set<string> {
  const g = new Set(['input', 'data', ...m.imports.keys()]);
  // Rules of the modules of this package; sub-packages are not names in it.
  const pkg = m.packagePath.join('.');
  for (const x of res.modules) {
    if (x.packagePath.join('.') === pkg)
      for (const r of x.module.rules) g.add(r.head.ref.name.name);
  }
  return g;
}

/** A call uses an output argument when it has one argument more than its arity. */
const outputArgOf =
  (res: Resolution, m: ResolvedModule | null): OutputArg =>
  (c) => {
    const callee = resolveCallee(c, res, m);
    if (callee.kind === 'builtin')
      return c.args.length === (lookupBuiltin(callee.name)?.arity ?? -2) + 1;
    if (callee.kind === 'dynamic') return false;
    const fn = res.rules.get(pathKey(callee.path))?.find((r) => r.kind === 'function');
    return fn !== undefined && c.args.length === fn.arity + 1;
  };

function checkRule(
  rule: Rule,
  globals: ReadonlySet<string>,
  out: CheckDiagnostic[],
  outputArg: OutputArg,
): void {
  const { head } = rule;
  const args = (head.args ?? []).flatMap((a) => allVars(a).map((v) => v.name));
  const start = new Set([...globals, ...args]);
  const bound = rule.body ? checkBody(rule.body, start, out, outputArg) : start;
  const headTerms = [
    ...head.ref.path,
    ...(head.key ? [head.key] : []),
    ...(head.value ? [head.value] : []),
  ];
  headTerms.forEach((t) => checkBound(t, bound, out, outputArg));
  for (const e of rule.elses) {
    const b = e.body ? checkBody(e.body, start, out, outputArg) : start;
    if (e.value) checkBound(e.value, b, out, outputArg);
  }
}

/** The top-level terms of a rule (head, bodies incl. `every` bodies, else clauses). */
function ruleTerms(rule: Rule): Term[] {
  const { head } = rule;
  const terms: Term[] = [...head.ref.path, ...(head.args ?? [])];
  if (head.key) terms.push(head.key);
  if (head.value) terms.push(head.value);
  const lits = [...(rule.body?.literals ?? [])];
  for (const e of rule.elses) {
    if (e.value) terms.push(e.value);
    lits.push(...(e.body?.literals ?? []));
  }
  return [...terms, ...lits.flatMap(litTop)];
}

function litTop(l: Literal): Term[] {
  const out = [...exprTerms(l.expr), ...l.with.map((w) => w.value)];
  if (l.expr.type === 'every') out.push(...l.expr.body.literals.flatMap(litTop));
  return out;
}
