// Lowering of checked modules + a query to the Plan IR, core subset only (design §5 stage 3):
// complete rules (`p := v if …`, `p if …`, with `else` chains and constant defaults), partial sets (`p contains x`),
// refs into input/data, `:=` and `=` with a var on one side, comparisons, integer `+ - *`,
// `not`. Bodies are lowered in source order; a var used before it is bound is unsupported (no
// reordering yet). Contract: everything else is REGO_UNSUPPORTED with a location, never a
// guessed lowering; a successful result is the whole plan.
import type { Resolution } from '../check/resolve.ts';
import { pathKey } from '../check/resolve.ts';
import type { Expr, Literal, Module, Query, Rule, Term } from '../syntax/ast.ts';
import type { Location } from '../syntax/location.ts';
import type { ConstValue } from '../backend/plan-format.ts';
import { constOf, Emitter, isGround, Unsupported, type RuleTree } from './emitter.ts';
import type { Block, CompareOp, PlanIR, RuleFn } from './ir.ts';
import { lowerTerm } from './lower-term.ts';

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
      if (first.kind !== 'complete' && first.kind !== 'set') {
        throw new Unsupported(first.rule.location, `${first.kind} rules`);
      }
      const counter = { n: 0 };
      const bodies: Block[] = [];
      const elseOf: boolean[] = [];
      let defaultValue: { const: ConstValue } | undefined;
      for (const i of infos) {
        if (i.rule.isDefault) {
          defaultValue = lowerDefault(i.rule);
          continue;
        }
        lowerRule(i.rule, tree(res, i.module), counter).forEach((b, n) => {
          bodies.push(b);
          elseOf.push(n > 0);
        });
      }
      rules.push({
        path: key.split('.'),
        kind: first.kind,
        bodies,
        ...(elseOf.some((e) => e) ? { elseOf } : {}),
        ...(defaultValue ? { defaultValue } : {}),
        registers: counter.n,
      });
    }
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
    kindAt: (p) => res.rules.get(pathKey(p))?.[0]?.kind,
    hasRulesUnder: (p) => {
      const k = pathKey(p);
      return [...res.rules.keys()].some((r) => k === '' || r === k || r.startsWith(k + '.'));
    },
  };
}

/** A definition: its body, then one block per `else` branch (each with its own variables). */
function lowerRule(rule: Rule, t: RuleTree, counter: { n: number }): Block[] {
  if (rule.head.ref.path.length > 0) throw new Unsupported(rule.head.location, 'ref heads');
  const head = rule.head;
  const term: Term | null = head.kind === 'multi' ? head.key : head.value;
  const branches = [{ body: rule.body, value: term, location: head.location }];
  for (const e of rule.elses) branches.push({ body: e.body, value: e.value, location: e.location });
  return branches.map((b) => {
    const em = new Emitter(t, counter);
    if (b.body) lowerBody(em, b.body);
    const value = b.value ? lowerTerm(em, b.value) : { const: true };
    em.emit({ op: 'yield', value, location: b.location });
    return em.root;
  });
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

function lowerLiteral(em: Emitter, lit: Literal): void {
  if (lit.with.length > 0) throw new Unsupported(lit.location, '`with`');
  if (!lit.negated) return lowerExpr(em, lit.expr);
  const body: Block = { stmts: [] };
  em.emit({ op: 'not', body });
  em.nested(body, () => lowerExpr(em, lit.expr));
}

function lowerExpr(em: Emitter, e: Expr): void {
  switch (e.type) {
    case 'some':
      for (const v of e.vars) em.vars.delete(v.name);
      return;
    case 'term': {
      const t = e.term;
      const cmp = t.type === 'infix' ? COMPARE[t.op] : undefined;
      if (t.type === 'infix' && cmp) {
        const a = lowerTerm(em, t.left);
        em.emit({ op: 'compare', cmp, a, b: lowerTerm(em, t.right) });
      } else em.emit({ op: 'truthy', src: lowerTerm(em, t) });
      return;
    }
    case 'assign':
      return lowerAssign(em, e.op, e.left, e.right, e.location);
    default:
      throw new Unsupported(e.location, e.type === 'every' ? '`every`' : '`some … in`');
  }
}

const unboundVar = (em: Emitter, t: Term): string | null =>
  t.type === 'var' &&
  t.name !== '_' &&
  !em.vars.has(t.name) &&
  t.name !== 'input' &&
  t.name !== 'data'
    ? t.name
    : null;

function lowerAssign(em: Emitter, op: ':=' | '=', l: Term, r: Term, loc: Location): void {
  const lv = unboundVar(em, l);
  if (op === ':=') {
    if (l.type !== 'var' || l.name === '_') throw new Unsupported(loc, 'destructuring `:=`');
    bind(em, l.name, r);
    return;
  }
  const rv = unboundVar(em, r);
  if (lv && rv) throw new Unsupported(loc, 'unification of two unbound vars');
  if (lv && !em.tree.ruleNames.has(lv)) return bind(em, lv, r);
  if (rv && !em.tree.ruleNames.has(rv)) return bind(em, rv, l);
  if (!isValueTerm(l) || !isValueTerm(r)) throw new Unsupported(loc, 'unification patterns');
  const a = lowerTerm(em, l);
  em.emit({ op: 'compare', cmp: 'eq', a, b: lowerTerm(em, r) });
}

/** Terms that cannot contain a pattern var to bind (so `=` is a plain equality test). */
const isValueTerm = (t: Term): boolean =>
  t.type !== 'array' && t.type !== 'object' && t.type !== 'set';

function bind(em: Emitter, name: string, value: Term): void {
  const src = lowerTerm(em, value);
  const dst = em.reg();
  em.emit({ op: 'assign', dst, src });
  em.vars.set(name, dst);
}
