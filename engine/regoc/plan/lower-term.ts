// Term lowering for the core subset: constants, bound vars, `input`/`data` refs (string steps,
// bound-var steps, unbound-var steps → scan), rule refs under data, integer `+ - *`.
// Contract: returns an operand whose value is the term's, after emitting into `em.block`
// (which may now be a scan body); throws Unsupported for anything else.
import type { RefTerm, Term } from '../syntax/ast.ts';
import { constOf, isGround, Unsupported, type Emitter } from './emitter.ts';
import type { ArithOp, Operand, Reg } from './ir.ts';

const ARITH: Partial<Record<string, ArithOp>> = { '+': 'plus', '-': 'minus', '*': 'mul' };

export function lowerTerm(em: Emitter, t: Term): Operand {
  if (isGround(t)) return { const: constOf(t) };
  switch (t.type) {
    case 'var':
      return { reg: lowerVar(em, t.name, t) };
    case 'ref':
      return { reg: lowerRef(em, t) };
    case 'infix': {
      const fn = ARITH[t.op];
      if (!fn) throw new Unsupported(t.location, `operator ${t.op} as a value`);
      const a = lowerTerm(em, t.left);
      const b = lowerTerm(em, t.right);
      const dst = em.reg();
      em.emit({ op: 'arith', fn, dst, a, b, location: t.location });
      return { reg: dst };
    }
    default:
      throw new Unsupported(t.location, describe(t));
  }
}

function describe(t: Term): string {
  if (t.type === 'call') return 'function calls';
  if (t.type === 'in') return 'membership (`in`)';
  if (t.type === 'set') return 'sets';
  if (t.type.endsWith('comp')) return 'comprehensions';
  return `${t.type} terms with variables`;
}

function lowerVar(em: Emitter, name: string, t: Term): Reg {
  const r = em.vars.get(name);
  if (r !== undefined) return r;
  if (name === 'input' || name === 'data') {
    const dst = em.reg();
    em.emit({ op: name, dst });
    if (name === 'data' && em.tree.hasRulesUnder([])) {
      throw new Unsupported(t.location, 'the whole data document');
    }
    return dst;
  }
  const pkg = em.tree.packagePath;
  if (pkg && em.tree.ruleNames.has(name)) return ruleRef(em, [...pkg, name], t);
  throw new Unsupported(t.location, `var ${name} used before it is bound (needs reordering)`);
}

function ruleRef(em: Emitter, path: readonly string[], t: Term): Reg {
  const kind = em.tree.kindAt(path);
  if (kind !== 'complete' && kind !== 'set') {
    throw new Unsupported(
      t.location,
      `reference to ${kind ?? 'a package of'} rules data.${path.join('.')}`,
    );
  }
  const dst = em.reg();
  em.emit({ op: 'rule', dst, path });
  return dst;
}

/** `data.a.b` walks the rule tree first; other heads are values. */
function lowerRef(em: Emitter, t: RefTerm): Reg {
  let steps = t.path;
  let cur: Reg;
  const head = t.head;
  const rootVar = head.type === 'var' && !em.vars.has(head.name) ? head.name : null;
  if (rootVar === 'data' || (rootVar && em.tree.packagePath && em.tree.ruleNames.has(rootVar))) {
    const path = rootVar === 'data' ? [] : [...(em.tree.packagePath ?? []), rootVar];
    let i = 0;
    while (em.tree.kindAt(path) === undefined && em.tree.hasRulesUnder(path)) {
      const s = steps[i];
      if (!s || s.type !== 'string')
        throw new Unsupported(t.location, 'refs over packages of rules');
      path.push(s.value);
      i++;
    }
    cur = em.tree.kindAt(path) !== undefined ? ruleRef(em, path, t) : baseData(em, path);
    steps = steps.slice(i);
  } else cur = em.toReg(lowerTerm(em, head));
  for (const s of steps) cur = step(em, cur, s);
  return cur;
}

function baseData(em: Emitter, path: readonly string[]): Reg {
  let cur = em.reg();
  em.emit({ op: 'data', dst: cur });
  for (const k of path) {
    const dst = em.reg();
    em.emit({ op: 'dot', dst, src: cur, key: { const: k } });
    cur = dst;
  }
  return cur;
}

function step(em: Emitter, src: Reg, s: Term): Reg {
  if (s.type === 'var' && !em.vars.has(s.name) && !isGlobal(em, s.name)) {
    const key = em.reg();
    const value = em.reg();
    const body = { stmts: [] };
    em.emit({ op: 'scan', src, key, value, body });
    em.block = body; // the rest of the query runs per element
    if (s.name !== '_') em.vars.set(s.name, key);
    return value;
  }
  const key = lowerTerm(em, s);
  const dst = em.reg();
  em.emit({ op: 'dot', dst, src, key });
  return dst;
}

const isGlobal = (em: Emitter, name: string): boolean =>
  name === 'input' ||
  name === 'data' ||
  (em.tree.packagePath !== null && em.tree.ruleNames.has(name));
