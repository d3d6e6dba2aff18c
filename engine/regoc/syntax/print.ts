// Compact one-line rendering of the AST, for tests and debugging. Infix terms are fully
// parenthesised so precedence is visible: `x + 1 * 2` prints as `(x + (1 * 2))`.
import type { Expr, Literal, Query, Rule, RuleRef, Term } from './ast.ts';

export function printTerm(t: Term): string {
  switch (t.type) {
    case 'null':
      return 'null';
    case 'boolean':
      return String(t.value);
    case 'number':
      return t.text;
    case 'string':
      return JSON.stringify(t.value);
    case 'var':
      return t.name;
    case 'ref':
      return printTerm(t.head) + t.path.map(step).join('');
    case 'array':
      return `[${t.items.map(printTerm).join(', ')}]`;
    case 'set':
      return t.items.length === 0 ? 'set()' : `{${t.items.map(printTerm).join(', ')}}`;
    case 'object':
      return `{${t.entries.map((e) => `${printTerm(e.key)}: ${printTerm(e.value)}`).join(', ')}}`;
    case 'arraycomp':
      return `[${printTerm(t.head)} | ${printQuery(t.body)}]`;
    case 'setcomp':
      return `{${printTerm(t.head)} | ${printQuery(t.body)}}`;
    case 'objectcomp':
      return `{${printTerm(t.key)}: ${printTerm(t.value)} | ${printQuery(t.body)}}`;
    case 'call':
      return `${printTerm(t.callee)}(${t.args.map(printTerm).join(', ')})`;
    case 'infix':
      return `(${printTerm(t.left)} ${t.op} ${printTerm(t.right)})`;
    case 'in':
      return `(${t.key === null ? '' : `${printTerm(t.key)}, `}${printTerm(t.value)} in ${printTerm(t.collection)})`;
  }
}

function step(t: Term): string {
  return t.type === 'string' && t.dot === true ? `.${t.value}` : `[${printTerm(t)}]`;
}

export function printRef(r: RuleRef): string {
  return r.name.name + r.path.map(step).join('');
}

export function printExpr(e: Expr): string {
  switch (e.type) {
    case 'term':
      return printTerm(e.term);
    case 'assign':
      return `${printTerm(e.left)} ${e.op} ${printTerm(e.right)}`;
    case 'some':
      return `some ${e.vars.map(printTerm).join(', ')}`;
    case 'somein':
      return `some ${e.key === null ? '' : `${printTerm(e.key)}, `}${printTerm(e.value)} in ${printTerm(e.collection)}`;
    case 'every': {
      const k = e.key === null ? '' : `${printTerm(e.key)}, `;
      return `every ${k}${printTerm(e.value)} in ${printTerm(e.collection)} { ${printQuery(e.body)} }`;
    }
  }
}

export function printLiteral(l: Literal): string {
  const mods = l.with.map((w) => ` with ${printTerm(w.target)} as ${printTerm(w.value)}`).join('');
  return `${l.negated ? 'not ' : ''}${printExpr(l.expr)}${mods}`;
}

export function printQuery(q: Query): string {
  return q.literals.map(printLiteral).join('; ');
}

export function printRule(r: Rule): string {
  const h = r.head;
  let s = (r.isDefault ? 'default ' : '') + printRef(h.ref);
  if (h.args !== null) s += `(${h.args.map(printTerm).join(', ')})`;
  if (h.key !== null) s += ` contains ${printTerm(h.key)}`;
  if (h.value !== null) s += ` ${h.assign ?? ':='} ${printTerm(h.value)}`;
  if (r.body !== null) s += ` if { ${printQuery(r.body)} }`;
  for (const e of r.elses) {
    s += ' else';
    if (e.value !== null) s += ` ${e.assign ?? ':='} ${printTerm(e.value)}`;
    if (e.body !== null) s += ` if { ${printQuery(e.body)} }`;
  }
  return s;
}
