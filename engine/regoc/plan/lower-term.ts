// Term lowering for the core subset: constants, bound vars, `input`/`data` refs (string steps,
// bound-var steps, unbound-var steps → scan), rule refs under data, integer `+ - *`.
// Contract: returns an operand whose value is the term's, after emitting into `em.block`
// (which may now be a scan body); throws Unsupported for anything else.
import { lookupBuiltin } from '../check/builtins.ts';
import { NATIVE_BUILTINS } from '../backend/plan-format.ts';
import type { CallTerm, Query, RefTerm, Term } from '../syntax/ast.ts';
import { constOf, isGround, Unsupported, type Emitter } from './emitter.ts';
import type { ArithOp, Block, Operand, Reg } from './ir.ts';

const ARITH: Partial<Record<string, ArithOp>> = { '+': 'plus', '-': 'minus', '*': 'mul' };
/** Operators lowered to native builtins (backend NATIVE_BUILTINS). */
const INFIX_BUILTIN: Partial<Record<string, string>> = {
  '/': 'div',
  '%': 'rem',
  '|': 'internal.or',
  '&': 'internal.and',
};

/** Body lowering, set by lower.ts (which imports this module) for comprehensions. */
let lowerBodyHook: (em: Emitter, q: Query) => void = () => {
  throw new Error('body lowering is not installed');
};
export function setBodyLowering(f: (em: Emitter, q: Query) => void): void {
  lowerBodyHook = f;
}

export function lowerTerm(em: Emitter, t: Term): Operand {
  if (isGround(t)) return { const: constOf(t) };
  switch (t.type) {
    case 'var':
      return { reg: lowerVar(em, t.name, t) };
    case 'ref':
      return { reg: lowerRef(em, t) };
    case 'array':
    case 'set':
      return make(
        em,
        t.type,
        t.items.map((i) => lowerTerm(em, i)),
      );
    case 'object':
      return make(
        em,
        'object',
        t.entries.flatMap((e) => [lowerTerm(em, e.key), lowerTerm(em, e.value)]),
      );
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp': {
      // A fresh collection, then the body with its own scope; each solution inserts.
      const kind = t.type === 'arraycomp' ? 'array' : t.type === 'setcomp' ? 'set' : 'object';
      const dst = make(em, kind, []);
      const body: Block = { stmts: [] };
      em.emit({ op: 'each', body });
      em.nested(body, () => {
        lowerBodyHook(em, t.body);
        const a = lowerTerm(em, t.type === 'objectcomp' ? t.key : t.head);
        const b = t.type === 'objectcomp' ? lowerTerm(em, t.value) : a;
        em.emit({ op: 'insert', coll: em.toReg(dst), a, b });
      });
      return dst;
    }
    case 'call': {
      const pkg = packageObjectGet(em, t);
      if (pkg) return pkg;
      const user = userCallee(em, t);
      if (user) {
        if (t.args.length !== user.arity) {
          throw new Unsupported(t.location, 'output arguments in a term');
        }
        return callUser(em, user.path, t.args);
      }
      const { name, arity } = nativeCallee(em, t);
      if (t.args.length !== arity) throw new Unsupported(t.location, 'output arguments in a term');
      return callNative(em, name, t.args, t);
    }
    case 'in':
      if (t.key) throw new Unsupported(t.location, 'membership (`in`) with a key');
      return callNative(em, 'internal.member', [t.value, t.collection], t);
    case 'infix': {
      const named = INFIX_BUILTIN[t.op];
      if (named) return callNative(em, named, [t.left, t.right], t);
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

function make(em: Emitter, kind: 'array' | 'set' | 'object', items: Operand[]): Operand {
  const dst = em.reg();
  em.emit({ op: 'make', kind, dst, items });
  return { reg: dst };
}

/**
 * `object.get(<package holding rules>, key, default)` with a constant key (a string or an
 * array of strings): the package document itself is not built (refs over packages are
 * unsupported), so the value at data.<package>.<key…> — a rule or base data — is read if
 * defined, held in a fresh object, and the native object.get picks it or the default.
 */
function packageObjectGet(em: Emitter, c: CallTerm): Operand | null {
  const callee = c.callee;
  if (
    callee.type !== 'ref' ||
    callee.head.type !== 'var' ||
    callee.head.name !== 'object' ||
    em.vars.has('object') ||
    callee.path.length !== 1 ||
    callee.path[0]?.type !== 'string' ||
    callee.path[0].value !== 'get' ||
    c.args.length !== 3
  ) {
    return null;
  }
  const [doc, key, dflt] = c.args as [Term, Term, Term];
  const path = dataPath(em, doc);
  if (!path || em.tree.kindAt(path) !== undefined || !em.tree.hasRulesUnder(path)) return null;
  const keys =
    key.type === 'string'
      ? [key]
      : key.type === 'array' && key.items.length > 0 && key.items.every((k) => k.type === 'string')
        ? key.items
        : null;
  if (!keys) return null;
  const data: Term = { type: 'var', name: 'data', location: c.location };
  const steps: Term[] = [...path.map((p) => str(p, c)), ...keys];
  const holder = make(em, 'object', []);
  const body: Block = { stmts: [] };
  em.emit({ op: 'each', body });
  em.nested(body, () => {
    const v = lowerTerm(em, { type: 'ref', head: data, path: steps, location: c.location });
    em.emit({ op: 'insert', coll: em.toReg(holder), a: { const: 'v' }, b: v });
  });
  const fallback = lowerTerm(em, dflt);
  const dst = em.reg();
  em.emit({
    op: 'call',
    name: 'object.get',
    dst,
    args: [holder, { const: 'v' }, fallback],
    location: c.location,
  });
  return { reg: dst };
}

const str = (value: string, at: Term): Term => ({
  type: 'string',
  value,
  raw: false,
  location: at.location,
});

/** The data path of `data.a.b` or an imported alias's ref with string steps, else null. */
function dataPath(em: Emitter, t: Term): string[] | null {
  const head = t.type === 'ref' ? t.head : t;
  const steps = t.type === 'ref' ? t.path : [];
  if (head.type !== 'var' || em.vars.has(head.name)) return null;
  const names: string[] = [];
  for (const s of steps) {
    if (s.type !== 'string') return null;
    names.push(s.value);
  }
  if (head.name === 'data') return names;
  const imported = em.tree.imports.get(head.name);
  if (imported && !em.tree.ruleNames.has(head.name)) return [...imported, ...names];
  return null;
}

/** The user function a call names (a rule of the package or a `data.` path), or null. */
export function userCallee(
  em: Emitter,
  c: CallTerm,
): { path: readonly string[]; arity: number } | null {
  const head = c.callee.type === 'var' ? c.callee : c.callee.head;
  const steps = c.callee.type === 'ref' ? c.callee.path : [];
  if (head.type !== 'var' || em.vars.has(head.name)) return null;
  const names: string[] = [];
  for (const s of steps) {
    if (s.type !== 'string') return null;
    names.push(s.value);
  }
  let path: string[] | null = null;
  const imported = em.tree.imports.get(head.name);
  if (head.name === 'data') path = names;
  else if (imported && !em.tree.ruleNames.has(head.name)) path = [...imported, ...names];
  else if (em.tree.packagePath && em.tree.ruleNames.has(head.name)) {
    path = [...em.tree.packagePath, head.name, ...names];
  }
  if (!path || em.tree.kindAt(path) !== 'function') return null;
  return { path, arity: em.tree.arityAt(path) ?? 0 };
}

export function callUser(em: Emitter, path: readonly string[], args: readonly Term[]): Operand {
  const ops = args.map((a) => lowerTerm(em, a));
  const dst = em.reg();
  em.emit({ op: 'callfn', dst, path, args: ops });
  return { reg: dst };
}

/** The native or host builtin a call names, or Unsupported (user functions, other builtins). */
export function nativeCallee(em: Emitter, c: CallTerm): { name: string; arity: number } {
  const head = c.callee.type === 'var' ? c.callee : c.callee.head;
  const steps = c.callee.type === 'ref' ? c.callee.path : [];
  if (head.type !== 'var' || steps.some((s) => s.type !== 'string')) {
    throw new Unsupported(c.location, 'function calls');
  }
  const name = [head.name, ...steps.map((s) => (s.type === 'string' ? s.value : ''))].join('.');
  const sig = lookupBuiltin(name);
  if (
    em.vars.has(head.name) ||
    em.tree.ruleNames.has(head.name) ||
    head.name === 'data' ||
    !sig ||
    (NATIVE_BUILTINS[name] === undefined && sig.kind !== 'host')
  ) {
    throw new Unsupported(c.location, 'function calls');
  }
  return { name, arity: sig.arity };
}

export function callNative(em: Emitter, name: string, args: readonly Term[], t: Term): Operand {
  const ops = args.map((a) => lowerTerm(em, a));
  const dst = em.reg();
  em.emit({ op: 'call', name, dst, args: ops, location: t.location });
  return { reg: dst };
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
  if (name === 'input') {
    const dst = em.reg();
    em.emit({ op: 'input', dst });
    return dst;
  }
  if (name === 'data' || (em.tree.packagePath && em.tree.ruleNames.has(name))) {
    return lowerRef(em, { type: 'ref', head: t, path: [], location: t.location });
  }
  if (em.tree.imports.has(name) && t.type === 'var') {
    return lowerRef(em, { type: 'ref', head: t, path: [], location: t.location });
  }
  throw new Unsupported(t.location, `var ${name} used before it is bound (needs reordering)`);
}

function ruleRef(em: Emitter, path: readonly string[], t: Term): Reg {
  const kind = em.tree.kindAt(path);
  if (kind !== 'complete' && kind !== 'set' && kind !== 'object') {
    throw new Unsupported(
      t.location,
      `reference to ${kind ?? 'a package of'} rules data.${path.join('.')}`,
    );
  }
  const dst = em.reg();
  em.emit({ op: 'rule', dst, path });
  return dst;
}

/** `data.a.b` walks the rule tree first; other heads are values. String steps descend while
 *  the path is only a prefix of rules; the document where the walk stops is a rule's value
 *  (a rule with nothing below it), base data (no rules at or below), or else the document
 *  assembled from base data and every rule below (see `documentAt`). */
function lowerRef(em: Emitter, t: RefTerm): Reg {
  let steps = t.path;
  let cur: Reg;
  const head = t.head;
  const rootVar = head.type === 'var' && !em.vars.has(head.name) ? head.name : null;
  const isRule = rootVar !== null && em.tree.packagePath !== null && em.tree.ruleNames.has(rootVar);
  const imported = rootVar !== null && !isRule ? em.tree.imports.get(rootVar) : undefined;
  if (rootVar === 'data' || isRule || imported) {
    const path =
      rootVar === 'data'
        ? []
        : imported
          ? [...imported]
          : [...(em.tree.packagePath ?? []), rootVar as string];
    let i = 0;
    for (;;) {
      const kind = em.tree.kindAt(path);
      const below = em.tree.groupsBelow(path).length > 0;
      if (kind !== undefined && !below) {
        cur = ruleRef(em, path, t);
        break;
      }
      if (kind === undefined && !below) {
        cur = baseData(em, path);
        break;
      }
      const s = steps[i];
      if (kind === undefined && s?.type === 'string') {
        path.push(s.value);
        i++;
        continue;
      }
      // A rule tree here with rules below: only the tree and the rules under the next key
      // (when it is a string) are part of the value there.
      cur = documentAt(em, path, t, s?.type === 'string' ? s.value : undefined);
      break;
    }
    steps = steps.slice(i);
  } else cur = em.toReg(lowerTerm(em, head));
  for (const s of steps) cur = step(em, cur, s);
  return cur;
}

/** The document at `path`, a package or a prefix of rule paths, as OPA builds it: base data
 *  there, merged with the value of every rule below (functions skipped, undefined complete
 *  rules absent, every prefix of a rule path present as an object), conflicts as in rule
 *  trees. Built afresh where it is referenced. */
function documentAt(em: Emitter, path: readonly string[], t: Term, only?: string): Reg {
  const at = em.tree.kindAt(path);
  if (at !== undefined && at !== 'object') {
    throw new Unsupported(t.location, `rules inside the ${at} rule data.${path.join('.')}`);
  }
  const dst = em.reg();
  em.emit({ op: 'make', kind: 'object', dst, items: [] });
  const keys = (p: readonly string[]): Operand[] => p.map((k) => ({ const: k }));
  const below = em.tree
    .groupsBelow(path)
    .filter((g) => only === undefined || g.path[path.length] === only);
  const groups = [...(at ? [{ path, kind: at }] : []), ...below];
  for (const g of groups) {
    const rel = g.path.slice(path.length);
    if (rel.length > 1) {
      const prefix = keys(rel.slice(0, -1));
      em.emit({ op: 'tree', mode: 'merge', dst, src: { const: {} }, keys: prefix });
    }
    if (g.kind === 'function') continue;
    if (g.kind !== 'complete' && g.kind !== 'set' && g.kind !== 'object') {
      throw new Unsupported(t.location, `${g.kind} rules in data.${path.join('.')}`);
    }
    const mode = g.kind === 'complete' ? 'value' : g.kind === 'set' ? 'set' : 'merge';
    const body: Block = { stmts: [] };
    em.emit({ op: 'each', body });
    em.nested(body, () => {
      const value = em.reg();
      em.emit({ op: 'rule', dst: value, path: g.path });
      em.emit({ op: 'tree', mode, dst, src: { reg: value }, keys: keys(rel) });
    });
  }
  // Base data last: its objects merge into the rules' nodes; a key that holds a rule's value
  // or set stops as unsupported.
  const data = em.reg();
  em.emit({ op: 'data', dst: data });
  em.emit({ op: 'tree', mode: 'base', dst, src: { reg: data }, keys: keys(path) });
  return dst;
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
  em.tree.imports.has(name) ||
  (em.tree.packagePath !== null && em.tree.ruleNames.has(name));
