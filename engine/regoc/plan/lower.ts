// Lowering of checked modules + a query to the Plan IR, core subset only (design §5 stage 3):
// complete rules (`p := v if …`, `p if …`, with `else` chains and defaults), partial sets (`p contains x`),
// refs into input/data, `:=` and `=` with a var on one side, comparisons, integer `+ - *`,
// `not`, `with` on input, base data and rules (not on functions or builtins). Bodies are
// lowered in source order; a var used before it is bound is unsupported (no reordering yet). Contract: everything else is REGO_UNSUPPORTED with a location, never a
// guessed lowering; a successful result is the whole plan.
import type { Resolution, RuleInfo } from '../check/resolve.ts';
import { pathKey, staticPrefix } from '../check/resolve.ts';
import type { Expr, Literal, Module, Query, Rule, Term, WithModifier } from '../syntax/ast.ts';
import type { Location } from '../syntax/location.ts';
import type { ConstValue } from '../backend/plan-format.ts';
import { constOf, Emitter, isGround, Unsupported, type RuleTree } from './emitter.ts';
import type { Operand, Reg } from './ir.ts';
import type { Block, CompareOp, DocumentEntry, PlanIR, RuleFn, WithMod } from './ir.ts';
import {
  callNative,
  callUser,
  lowerTerm,
  nativeCallee,
  setBodyLowering,
  userCallee,
} from './lower-term.ts';

export type LowerResult =
  | { readonly ok: true; readonly plan: PlanIR }
  | {
      readonly ok: false;
      readonly code: 'REGO_UNSUPPORTED';
      readonly message: string;
      readonly location: Location;
    };

const COMPARE: Partial<Record<string, CompareOp>> = {
  '==': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
};

/** Without a query (a compile for named entrypoints) the IR's query block is empty. A named
 *  entrypoint ("a/b") with rules below it (a package) becomes a document entry. */
export function lowerPlan(
  res: Resolution,
  query?: Query,
  entrypoints: readonly string[] = [],
): LowerResult {
  try {
    const rules: RuleFn[] = [];
    for (const [key, infos] of res.rules) {
      const first = infos[0];
      if (!first) continue;
      const kind = groupKind(infos) ?? first.kind;
      if (!['complete', 'set', 'function', 'object'].includes(kind)) {
        throw new Unsupported(first.rule.location, `${kind} rules`);
      }
      if (infos.some((i) => i.path.some((k) => k.includes('.')))) {
        throw new Unsupported(first.rule.location, "rule paths with '.' in a key");
      }
      if (kind !== 'object' && tree(res, null).groupsBelow(first.path).length > 0) {
        throw new Unsupported(first.rule.location, `rules below the ${kind} rule data.${key}`);
      }
      const counter = { n: first.kind === 'function' ? first.arity : 0 };
      const bodies: Block[] = [];
      const elseOf: boolean[] = [];
      let defaultValue: { const: ConstValue } | undefined;
      let defaultRule: RuleInfo | undefined;
      const add = (into: { bodies: Block[]; elseOf: boolean[] }, bs: Block[]): void =>
        bs.forEach((b, n) => {
          into.bodies.push(b);
          into.elseOf.push(n > 0);
        });
      for (const i of infos) {
        if (i.rule.isDefault) defaultRule = i;
        else add({ bodies, elseOf }, lowerRule(i.rule, tree(res, i.module), counter));
      }
      const dv = defaultRule ? defaultTerm(defaultRule.rule) : undefined;
      if (dv && isGround(dv)) defaultValue = { const: constOf(dv) };
      else if (dv && defaultRule) {
        // `default p := <term>` that is not a constant: a last body `not <any body yields>;
        // yield term`, where a hidden rule runs the same bodies (terms included) yielding true.
        if (kind !== 'complete') {
          throw new Unsupported(
            defaultRule.rule.location,
            'default functions with a non-constant value',
          );
        }
        const anyPath = ['$default', ...first.path];
        const any = { bodies: [] as Block[], elseOf: [] as boolean[] };
        const anyCounter = { n: 0 };
        for (const i of infos) {
          if (!i.rule.isDefault) add(any, lowerRule(i.rule, tree(res, i.module), anyCounter, true));
        }
        rules.push({
          path: anyPath,
          kind: 'complete',
          bodies: any.bodies,
          ...(any.elseOf.some((e) => e) ? { elseOf: any.elseOf } : {}),
          registers: anyCounter.n,
        });
        const em = new Emitter(tree(res, defaultRule.module), counter);
        const none: Block = { stmts: [] };
        em.emit({ op: 'not', body: none });
        em.nested(none, () => em.emit({ op: 'rule', dst: em.reg(), path: anyPath }));
        const value = lowerTerm(em, dv);
        em.emit({ op: 'yield', value, location: defaultRule.rule.location });
        bodies.push(em.root);
        elseOf.push(false);
      }
      const rule: RuleFn = {
        path: key.split('.'),
        kind: kind as RuleFn['kind'],
        bodies,
        ...(elseOf.some((e) => e) ? { elseOf } : {}),
        ...(defaultValue ? { defaultValue } : {}),
        registers: counter.n,
      };
      rules.push(rule);
    }
    checkRecursion(rules, (k) => res.rules.get(k)?.[0]?.rule.location);
    const documents = documentEntries(res, entrypoints);
    const extra = documents.length > 0 ? { documents } : {};
    const em = new Emitter(tree(res, null));
    if (!query) return { ok: true, plan: { rules, query: em.root, queryRegisters: 0, ...extra } };
    lowerBody(em, query);
    const vars = [...em.vars]
      .filter(([k]) => !k.startsWith('$'))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    em.emit({ op: 'solution', vars });
    return { ok: true, plan: { rules, query: em.root, queryRegisters: em.registers, ...extra } };
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    return { ok: false, code: 'REGO_UNSUPPORTED', message: e.message, location: e.location };
  }
}

function documentEntries(res: Resolution, entrypoints: readonly string[]): DocumentEntry[] {
  const t = tree(res, null);
  const out: DocumentEntry[] = [];
  for (const name of entrypoints) {
    const path = name.split('/');
    // A rule with nothing below it is an ordinary rule entrypoint (backend/from-ir.ts).
    if (t.groupsBelow(path).length === 0) continue;
    const at: Location = { file: `entrypoint ${name}`, line: 1, col: 1, offset: 0 };
    const ref: Term = {
      type: 'ref',
      head: { type: 'var', name: 'data', location: at },
      path: path.map((value) => ({ type: 'string', value, raw: false, location: at })),
      location: at,
    };
    const em = new Emitter(t);
    const value = em.toReg(lowerTerm(em, ref));
    em.emit({ op: 'solution', vars: [['result', value]] });
    out.push({ name, code: em.root, registers: em.registers });
  }
  return out;
}

function tree(res: Resolution, module: Module | null): RuleTree {
  const m = module ? res.modules.find((x) => x.module === module) : undefined;
  const packagePath = m ? m.packagePath : null;
  // The package's rules are those its modules define (sub-packages are not names in it).
  const ruleNames = new Set<string>();
  if (packagePath)
    for (const x of res.modules)
      if (pathKey(x.packagePath) === pathKey(packagePath))
        for (const r of x.module.rules) ruleNames.add(r.head.ref.name.name);
  return {
    packagePath,
    ruleNames,
    imports: new Map(
      [...(m?.imports ?? [])]
        .filter(([, path]) => path[0] === 'data')
        .map(([alias, path]) => [alias, path.slice(1)] as const),
    ),
    kindAt: (p) => groupKind(res.rules.get(pathKey(p))),
    arityAt: (p) => res.rules.get(pathKey(p))?.[0]?.arity,
    hasRulesUnder: (p) => {
      const k = pathKey(p);
      return [...res.rules.keys()].some((r) => k === '' || r === k || r.startsWith(k + '.'));
    },
    groupsBelow: (p) =>
      [...res.rules]
        .filter(([, infos]) => infos[0]?.path.length !== undefined)
        .map(([, infos]) => ({ path: infos[0]?.path ?? [], kind: groupKind(infos) ?? '' }))
        .filter((g) => g.path.length > p.length && p.every((s, i) => g.path[i] === s))
        .sort((a, b) => (pathKey(a.path) < pathKey(b.path) ? -1 : 1)),
  };
}

/** The kind of the rule group at one path: partial objects and other ref heads with a
 *  dynamic part are all rule trees ('object'). */
function groupKind(infos: readonly { kind: string }[] | undefined): string | undefined {
  const k = infos?.[0]?.kind;
  return k === 'refhead' ? 'object' : k;
}

/** A definition: its body, then one block per `else` branch (each with its own variables).
 *  A head with a dynamic part (`p[k] := v`, `p[q].r := v`, `p[q] contains x`) puts its value
 *  into the group's rule tree at the path of the head's terms after its static prefix. */
function lowerRule(rule: Rule, t: RuleTree, counter: { n: number }, yieldTrue = false): Block[] {
  const head = rule.head;
  const steps = head.ref.path;
  const fixed = staticPrefix(steps).length;
  const dynamic = steps.slice(fixed);
  if (dynamic.length > 0 && (head.kind === 'function' || rule.elses.length > 0)) {
    throw new Unsupported(head.location, 'ref heads');
  }
  const term: Term | null = head.kind === 'multi' ? head.key : head.value;
  const branches = [{ body: rule.body, value: term, location: head.location }];
  for (const e of rule.elses) branches.push({ body: e.body, value: e.value, location: e.location });
  return branches.map((b) => {
    const em = new Emitter(t, counter);
    // A function's arguments are in registers 0..n-1; its head patterns match them.
    // Argument vars are local: they shadow rules of the same name.
    (head.args ?? []).forEach((a, i) => {
      if (a.type === 'var' && a.name !== '_' && !em.vars.has(a.name)) em.vars.set(a.name, i);
      else unify(em, a, i, head.location, false);
    });
    if (b.body) lowerBody(em, b.body);
    if (dynamic.length > 0) {
      const keys = dynamic.map((k) => lowerTerm(em, k));
      const src = b.value ? lowerTerm(em, b.value) : { const: true };
      const mode = head.kind === 'multi' ? 'member' : 'value';
      em.emit({ op: 'tree', mode, dst: null, src, keys });
      return em.root;
    }
    const value = b.value ? lowerTerm(em, b.value) : { const: true };
    em.emit({ op: 'yield', value: yieldTrue ? { const: true } : value, location: b.location });
    return em.root;
  });
}

/** OPA refuses recursion at compile time (rego_recursion_error); regoc refuses it as
 *  unsupported (the exact message is not reproduced). */
function checkRecursion(
  rules: readonly RuleFn[],
  where: (key: string) => Location | undefined,
): void {
  const deps = new Map<string, Set<string>>();
  const walk = (b: Block, uses: Set<string>): void => {
    for (const s of b.stmts) {
      if (s.op === 'rule' || s.op === 'callfn') uses.add(s.path.join('.'));
      if ('body' in s) walk(s.body, uses);
    }
  };
  for (const r of rules) {
    const uses = new Set<string>();
    r.bodies.forEach((b) => walk(b, uses));
    deps.set(r.path.join('.'), uses);
  }
  const state = new Map<string, 1 | 2>();
  const visit = (k: string): boolean => {
    const st = state.get(k);
    if (st === 2) return false;
    if (st === 1) return true;
    state.set(k, 1);
    for (const u of deps.get(k) ?? []) if (visit(u)) return true;
    state.set(k, 2);
    return false;
  };
  for (const k of deps.keys()) {
    if (visit(k)) {
      const loc = where(k);
      if (loc) throw new Unsupported(loc, `recursion through data.${k}`);
    }
  }
}

/** The value term of `default p := v` (a static path is required). */
function defaultTerm(rule: Rule): Term {
  const v = rule.head.kind === 'multi' ? null : rule.head.value;
  if (rule.head.ref.path.some((s) => s.type !== 'string') || !v) {
    throw new Unsupported(rule.location, 'default rules with a ref head or no value');
  }
  return v;
}

function lowerBody(em: Emitter, body: Query): void {
  for (const lit of body.literals) lowerLiteral(em, lit);
}
setBodyLowering(lowerBody);

function lowerLiteral(em: Emitter, lit: Literal): void {
  if (lit.with.length > 0) return lowerWith(em, lit);
  if (!lit.negated) return lowerExpr(em, lit.expr);
  const body: Block = { stmts: [] };
  em.emit({ op: 'not', body });
  em.nested(body, () => lowerExpr(em, lit.expr));
}

/** `expr with t1 as v1 …`: the values are evaluated outside, then the expression runs inside
 *  a `with` block and the rest of the query after its `withend`. */
function lowerWith(em: Emitter, lit: Literal): void {
  const mods = lit.with.map((w) => withMod(em, w));
  const body: Block = { stmts: [] };
  em.emit({ op: 'with', mods, body });
  em.block = body;
  lowerLiteral(em, { ...lit, with: [] });
  const rest: Block = { stmts: [] };
  em.emit({ op: 'withend', body: rest });
  em.block = rest;
}

/** A `with` target: input or base data at a constant path, or a rule (not a function). */
function withMod(em: Emitter, w: WithModifier): WithMod {
  const t = w.target;
  const head = t.type === 'ref' ? t.head : t;
  const steps = t.type === 'ref' ? t.path : [];
  const root = head.type === 'var' && !em.vars.has(head.name) ? head.name : null;
  if (root !== 'input' && root !== 'data') {
    throw new Unsupported(w.location, '`with` on functions and builtins');
  }
  const path: string[] = [];
  for (const s of steps) {
    if (s.type !== 'string') throw new Unsupported(w.location, '`with` on a non-constant path');
    path.push(s.value);
  }
  const value = lowerTerm(em, w.value);
  if (root === 'input') return { kind: 'input', path, value };
  const kind = em.tree.kindAt(path);
  if (kind === 'complete' || kind === 'set' || kind === 'object') {
    return { kind: 'rule', path, value };
  }
  if (kind !== undefined) throw new Unsupported(w.location, `\`with\` on ${kind} rules`);
  if (em.tree.hasRulesUnder(path)) {
    throw new Unsupported(w.location, '`with` on data holding rules');
  }
  for (let i = 1; i < path.length; i++) {
    if (em.tree.kindAt(path.slice(0, i)) !== undefined) {
      throw new Unsupported(w.location, '`with` inside the value of a rule');
    }
  }
  return { kind: 'data', path, value };
}

function lowerExpr(em: Emitter, e: Expr): void {
  switch (e.type) {
    case 'some':
      for (const v of e.vars) em.vars.delete(v.name);
      return;
    case 'term': {
      const t = e.term;
      const cmp = t.type === 'infix' ? COMPARE[t.op] : undefined;
      if (t.type === 'call') {
        const user = userCallee(em, t);
        const { name, arity } = user ? { name: '', arity: user.arity } : nativeCallee(em, t);
        const out = t.args[arity];
        if (out) {
          // The output-argument form: the last argument unifies with the result.
          const args = t.args.slice(0, arity);
          const r = user ? callUser(em, user.path, args) : callNative(em, name, args, t);
          return unify(em, out, em.toReg(r), t.location, false);
        }
      }
      if (t.type === 'infix' && cmp) {
        const a = lowerTerm(em, t.left);
        em.emit({ op: 'compare', cmp, a, b: lowerTerm(em, t.right) });
      } else em.emit({ op: 'truthy', src: lowerTerm(em, t) });
      return;
    }
    case 'assign':
      return lowerAssign(em, e.op, e.left, e.right, e.location);
    case 'somein': {
      const [key, value] = scanOver(em, e.collection);
      if (e.key) unify(em, e.key, key, e.location, true);
      return unify(em, e.value, value, e.location, true);
    }
    case 'every': {
      // every k, v in xs { body }  ==  xs is defined, and not (some k, v in xs; not body).
      const coll = em.toReg(lowerTerm(em, e.collection));
      const outer: Block = { stmts: [] };
      em.emit({ op: 'not', body: outer });
      em.nested(outer, () => {
        const [key, value] = scanOver(em, { reg: coll });
        if (e.key) unify(em, e.key, key, e.location, true);
        unify(em, e.value, value, e.location, true);
        const inner: Block = { stmts: [] };
        em.emit({ op: 'not', body: inner });
        em.nested(inner, () => lowerBody(em, e.body));
      });
      return;
    }
  }
}

/** Emits a scan over the collection and moves into its body; returns (key, value). */
function scanOver(em: Emitter, coll: Term | Operand): [Reg, Reg] {
  const src = em.toReg('type' in coll ? lowerTerm(em, coll) : coll);
  const key = em.reg();
  const value = em.reg();
  const body: Block = { stmts: [] };
  em.emit({ op: 'scan', src, key, value, body });
  em.block = body;
  return [key, value];
}

const unboundVar = (em: Emitter, t: Term): string | null =>
  t.type === 'var' &&
  t.name !== '_' &&
  !em.vars.has(t.name) &&
  t.name !== 'input' &&
  t.name !== 'data' &&
  !em.tree.imports.has(t.name)
    ? t.name
    : null;

function lowerAssign(em: Emitter, op: ':=' | '=', l: Term, r: Term, loc: Location): void {
  const lv = unboundVar(em, l);
  if (op === ':=') {
    if (l.type === 'var' && l.name !== '_') return bind(em, l.name, r);
    if (l.type !== 'array' || !isPattern(em, l, true)) {
      throw new Unsupported(loc, 'destructuring `:=`');
    }
    return unify(em, l, em.toReg(lowerTerm(em, r)), loc, true);
  }
  const rv = unboundVar(em, r);
  if (lv && rv) throw new Unsupported(loc, 'unification of two unbound vars');
  if (lv && !em.tree.ruleNames.has(lv)) return bind(em, lv, r);
  if (rv && !em.tree.ruleNames.has(rv)) return bind(em, rv, l);
  if (isValueTerm(em, l) && isValueTerm(em, r)) {
    const a = lowerTerm(em, l);
    em.emit({ op: 'compare', cmp: 'eq', a, b: lowerTerm(em, r) });
    return;
  }
  unifyTerms(em, l, r, loc);
}

/** `l = r` where both may hold vars to bind: literal arrays/objects on both sides match
 *  element-wise (different lengths or key sets: never equal); a pair is lowered once one side
 *  is a value under the bindings so far. No such order: unsupported. */
function unifyTerms(em: Emitter, l: Term, r: Term, loc: Location): void {
  const work: [Term, Term][] = [[l, r]];
  let stuck = 0;
  while (work.length > 0) {
    const [a, b] = work.shift() as [Term, Term];
    if (a.type === 'array' && b.type === 'array') {
      if (a.items.length !== b.items.length)
        return em.emit({ op: 'truthy', src: { const: false } });
      a.items.forEach((x, i) => work.push([x, b.items[i] as Term]));
      stuck = 0;
      continue;
    }
    if (a.type === 'object' && b.type === 'object' && groundKeys(a) && groundKeys(b)) {
      const bk = new Map(b.entries.map((e) => [JSON.stringify(constOf(e.key)), e.value]));
      if (a.entries.length !== b.entries.length || bk.size !== b.entries.length) {
        throw new Unsupported(loc, 'unification patterns');
      }
      for (const e of a.entries) {
        const v = bk.get(JSON.stringify(constOf(e.key)));
        if (!v) return em.emit({ op: 'truthy', src: { const: false } });
        work.push([e.value, v]);
      }
      stuck = 0;
      continue;
    }
    if (isValueTerm(em, b) && isPattern(em, a, false)) {
      unify(em, a, em.toReg(lowerTerm(em, b)), loc, false);
      stuck = 0;
    } else if (isValueTerm(em, a) && isPattern(em, b, false)) {
      unify(em, b, em.toReg(lowerTerm(em, a)), loc, false);
      stuck = 0;
    } else {
      work.push([a, b]);
      if (++stuck > work.length) throw new Unsupported(loc, 'unification patterns');
    }
  }
}

const groundKeys = (t: Term & { type: 'object' }): boolean =>
  t.entries.every((e) => isGround(e.key) && e.key.type !== 'array' && e.key.type !== 'object');

/** Does the term mention a var that `=` would bind here? */
function hasUnbound(em: Emitter, t: Term): boolean {
  if (t.type === 'var')
    return t.name === '_' || (unboundVar(em, t) !== null && !em.tree.ruleNames.has(t.name));
  if (t.type === 'array') return t.items.some((i) => hasUnbound(em, i));
  if (t.type === 'object')
    return t.entries.some((e) => hasUnbound(em, e.key) || hasUnbound(em, e.value));
  if (t.type === 'set') return t.items.some((i) => hasUnbound(em, i));
  return false;
}

/** Terms without vars to bind (so `=` with them is a plain equality test). Refs with an
 *  unbound var step iterate rather than bind, as lowerTerm does. */
const isValueTerm = (em: Emitter, t: Term): boolean =>
  t.type === 'ref' || t.type === 'call' || t.type === 'infix' || !hasUnbound(em, t);

/** A pattern regoc destructures: vars, value terms, and arrays / objects with ground keys of
 *  patterns. `fresh` (`:=`): every var is new and must not name a rule, and may occur once. With
 *  `=`, a repeated var binds at its first occurrence and compares at the next. */
function isPattern(em: Emitter, t: Term, fresh: boolean, seen = new Set<string>()): boolean {
  if (t.type === 'var') {
    if (t.name === '_') return true;
    if (fresh && seen.has(t.name)) return false;
    seen.add(t.name);
    if (fresh) return !em.tree.ruleNames.has(t.name) && t.name !== 'input' && t.name !== 'data';
    return true;
  }
  if (t.type === 'array') return t.items.every((i) => isPattern(em, i, fresh, seen));
  if (t.type === 'object') {
    return t.entries.every(
      (e) =>
        isGround(e.key) &&
        e.key.type !== 'array' &&
        e.key.type !== 'object' &&
        isPattern(em, e.value, fresh, seen),
    );
  }
  return !fresh && isValueTerm(em, t);
}

/** Matches pattern `p` against the value in `src`, binding its vars (see isPattern). */
function unify(em: Emitter, p: Term, src: Reg, loc: Location, fresh: boolean): void {
  if (p.type === 'var') {
    if (p.name === '_') return;
    if (fresh || (unboundVar(em, p) !== null && !em.tree.ruleNames.has(p.name))) {
      em.vars.set(p.name, src);
      return;
    }
  }
  if (p.type === 'array' || (p.type === 'object' && hasUnbound(em, p))) {
    if (!isPattern(em, p, fresh)) throw new Unsupported(loc, 'unification patterns');
    const isA = em.reg();
    em.emit({
      op: 'call',
      name: p.type === 'array' ? 'is_array' : 'is_object',
      dst: isA,
      args: [{ reg: src }],
      location: loc,
    });
    em.emit({ op: 'truthy', src: { reg: isA } });
    const n = em.reg();
    em.emit({ op: 'call', name: 'count', dst: n, args: [{ reg: src }], location: loc });
    const items =
      p.type === 'array'
        ? p.items.map((v, i) => [i, v] as const)
        : p.entries.map((e) => [constOf(e.key), e.value] as const);
    em.emit({ op: 'compare', cmp: 'eq', a: { reg: n }, b: { const: items.length } });
    for (const [k, v] of items) {
      const dst = em.reg();
      em.emit({ op: 'dot', dst, src, key: { const: k } });
      unify(em, v, dst, loc, fresh);
    }
    return;
  }
  if (fresh || !isValueTerm(em, p)) throw new Unsupported(loc, 'unification patterns');
  em.emit({ op: 'compare', cmp: 'eq', a: lowerTerm(em, p), b: { reg: src } });
}

function bind(em: Emitter, name: string, value: Term): void {
  const src = lowerTerm(em, value);
  const dst = em.reg();
  em.emit({ op: 'assign', dst, src });
  em.vars.set(name, dst);
}
