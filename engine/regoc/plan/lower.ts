// Lowering of checked modules + a query to the Plan IR, core subset only (design §5 stage 3):
// complete rules (`p := v if …`, `p if …`, with `else` chains and defaults), partial sets (`p contains x`),
// refs into input/data, `:=` and `=` with a var on one side, comparisons, integer `+ - *`,
// `not`, `with` on input, base data and rules (not on functions or builtins). Bodies are
// lowered in source order; a var used before it is bound is unsupported (no reordering yet). Contract: everything else is REGO_UNSUPPORTED with a location, never a
// guessed lowering; a successful result is the whole plan.
import type { Resolution } from '../check/resolve.ts';
import { pathKey } from '../check/resolve.ts';
import type { Expr, Literal, Module, Query, Rule, Term, WithModifier } from '../syntax/ast.ts';
import type { Location } from '../syntax/location.ts';
import type { ConstValue } from '../backend/plan-format.ts';
import { constOf, Emitter, isGround, Unsupported, type RuleTree } from './emitter.ts';
import type { Operand, Reg } from './ir.ts';
import type { Block, CompareOp, PlanIR, RuleFn, WithMod } from './ir.ts';
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

/** Without a query (a compile for named entrypoints) the IR's query block is empty. */
export function lowerPlan(res: Resolution, query?: Query): LowerResult {
  try {
    const rules: RuleFn[] = [];
    for (const [key, infos] of res.rules) {
      const first = infos[0];
      if (!first) continue;
      if (!['complete', 'set', 'function', 'object'].includes(first.kind)) {
        throw new Unsupported(first.rule.location, `${first.kind} rules`);
      }
      const counter = { n: first.kind === 'function' ? first.arity : 0 };
      const bodies: Block[] = [];
      const elseOf: boolean[] = [];
      let defaultValue: { const: ConstValue } | undefined;
      let defaultBody: { block: Block; registers: number } | undefined;
      for (const i of infos) {
        if (i.rule.isDefault) {
          const v = i.rule.head.kind === 'multi' ? null : i.rule.head.value;
          if (first.kind === 'complete' && v && !isGround(v) && i.rule.head.ref.path.length === 0) {
            defaultBody = lowerDefaultBody(v, tree(res, i.module), i.rule.location);
          } else defaultValue = lowerDefault(i.rule);
          continue;
        }
        lowerRule(i.rule, tree(res, i.module), counter).forEach((b, n) => {
          bodies.push(b);
          elseOf.push(n > 0);
        });
      }
      const rule: RuleFn = {
        path: key.split('.'),
        kind: first.kind as RuleFn['kind'],
        bodies,
        ...(elseOf.some((e) => e) ? { elseOf } : {}),
        ...(defaultValue ? { defaultValue } : {}),
        registers: counter.n,
      };
      if (defaultBody) rules.push(...withDefaultBody(rule, defaultBody, first.rule.location));
      else rules.push(rule);
    }
    checkRecursion(rules, (k) => res.rules.get(k)?.[0]?.rule.location);
    const em = new Emitter(tree(res, null));
    if (!query) return { ok: true, plan: { rules, query: em.root, queryRegisters: 0 } };
    lowerBody(em, query);
    const vars = [...em.vars]
      .filter(([k]) => !k.startsWith('$'))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    em.emit({ op: 'solution', vars });
    return { ok: true, plan: { rules, query: em.root, queryRegisters: em.registers } };
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    return { ok: false, code: 'REGO_UNSUPPORTED', message: e.message, location: e.location };
  }
}

function tree(res: Resolution, module: Module | null): RuleTree {
  const m = module ? res.modules.find((x) => x.module === module) : undefined;
  const packagePath = m ? m.packagePath : null;
  const prefix = packagePath ? pathKey(packagePath) + '.' : null;
  const ruleNames = new Set<string>();
  if (prefix)
    for (const k of res.rules.keys())
      if (k.startsWith(prefix)) ruleNames.add(k.slice(prefix.length).split('.')[0] as string);
  return {
    packagePath,
    ruleNames,
    imports: new Map(
      [...(m?.imports ?? [])]
        .filter(([, path]) => path[0] === 'data')
        .map(([alias, path]) => [alias, path.slice(1)] as const),
    ),
    kindAt: (p) => res.rules.get(pathKey(p))?.[0]?.kind,
    arityAt: (p) => res.rules.get(pathKey(p))?.[0]?.arity,
    hasRulesUnder: (p) => {
      const k = pathKey(p);
      return [...res.rules.keys()].some((r) => k === '' || r === k || r.startsWith(k + '.'));
    },
  };
}

/** A definition: its body, then one block per `else` branch (each with its own variables). */
function lowerRule(rule: Rule, t: RuleTree, counter: { n: number }): Block[] {
  const head = rule.head;
  const steps = head.ref.path;
  const last = steps[steps.length - 1];
  const objectKey = last && last.type !== 'string' && head.kind === 'single' ? last : null;
  if (steps.some((s) => s.type !== 'string') && !objectKey) {
    throw new Unsupported(head.location, 'ref heads');
  }
  if (steps.length > (objectKey ? 1 : 0)) throw new Unsupported(head.location, 'ref heads');
  const term: Term | null = head.kind === 'multi' ? head.key : head.value;
  const branches = [{ body: rule.body, value: term, location: head.location }];
  for (const e of rule.elses) branches.push({ body: e.body, value: e.value, location: e.location });
  return branches.map((b) => {
    const em = new Emitter(t, counter);
    // A function's arguments are in registers 0..n-1; its head patterns match them.
    (head.args ?? []).forEach((a, i) => unify(em, a, i, head.location, false));
    if (b.body) lowerBody(em, b.body);
    const key = objectKey ? lowerTerm(em, objectKey) : undefined;
    const value = b.value ? lowerTerm(em, b.value) : { const: true };
    em.emit({ op: 'yield', value, ...(key ? { key } : {}), location: b.location });
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

/** A default value that is not a constant (a comprehension): a body yielding it. Its own
 *  registers start at 1 (register 0 holds the rule's value in the wrapper, see below). */
function lowerDefaultBody(
  v: Term,
  t: RuleTree,
  loc: Location,
): { block: Block; registers: number } {
  const em = new Emitter(t, { n: 1 });
  const value = lowerTerm(em, v);
  em.emit({ op: 'yield', value, location: loc });
  return { block: em.root, registers: em.registers };
}

/**
 * A complete rule with a computed default becomes two rule functions: the rule's bodies under
 * an internal path (`$bodies`, never a Rego name), and the rule itself, which yields that
 * value, or else — when it is undefined — runs the default body. Conflicts are raised by the
 * inner function, as before.
 */
function withDefaultBody(
  rule: RuleFn,
  dflt: { block: Block; registers: number },
  loc: Location,
): RuleFn[] {
  const inner: RuleFn = { ...rule, path: [...rule.path, '$bodies'] };
  const read: Block = {
    stmts: [
      { op: 'rule', dst: 0, path: inner.path },
      { op: 'yield', value: { reg: 0 }, location: loc },
    ],
  };
  return [
    inner,
    {
      path: rule.path,
      kind: 'complete',
      bodies: [read, dflt.block],
      elseOf: [false, true],
      registers: dflt.registers,
    },
  ];
}

/** `default p := v`: v must be a constant here. */
function lowerDefault(rule: Rule): { const: ConstValue } {
  const v = rule.head.kind === 'multi' ? null : rule.head.value;
  if (rule.head.ref.path.length > 0 || !v || !isGround(v)) {
    throw new Unsupported(rule.location, 'default rules with a non-constant value');
  }
  return { const: constOf(v) };
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
