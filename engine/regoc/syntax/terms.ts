// Primary terms: scalars, vars, refs, calls, collections, comprehensions, parentheses.
// Ref steps and call parentheses must touch the previous token (`a.b[c](d)`, no whitespace), so
// `p {` and `x [1]` never continue a ref.
import type { ArrayTerm, Term, VarTerm } from './ast.ts';
import { parseQueryBody } from './bodies.ts';
import type { Cursor } from './cursor.ts';
import { unsupported } from './errors.ts';
import { parseExpr } from './exprs.ts';

export function parsePrimary(c: Cursor): Term {
  const t = c.peek();
  return c.nested(t.loc, () => withSteps(c, primary(c)));
}

function primary(c: Cursor): Term {
  const t = c.peek();
  const location = t.loc;
  if (t.kind === 'number') {
    c.next();
    return { type: 'number', location, text: t.text };
  }
  if (t.kind === 'string') {
    c.next();
    return { type: 'string', location, value: t.value, raw: t.raw };
  }
  // `contains` is also a builtin: `contains(s, "x")` calls it.
  if (
    t.kind === 'ident' ||
    (t.text === 'contains' && t.kind === 'keyword' && c.peek(1).text === '(' && !c.peek(1).ws)
  ) {
    c.next();
    if (t.text === 'set' && c.atAdjacent('(') && c.at(')', 1)) {
      c.next();
      c.next();
      return { type: 'set', location, items: [] };
    }
    return { type: 'var', location, name: t.text };
  }
  if (t.kind === 'keyword') {
    if (t.text === 'true' || t.text === 'false') {
      c.next();
      return { type: 'boolean', location, value: t.text === 'true' };
    }
    if (t.text === 'null') {
      c.next();
      return { type: 'null', location };
    }
  }
  if (c.at('-')) {
    const n = c.peek(1);
    if (n.kind === 'number' && !n.ws) {
      c.next();
      c.next();
      return { type: 'number', location, text: `-${n.text}` };
    }
    throw unsupported(location, 'unary minus on a non-literal term');
  }
  if (c.at('(')) {
    c.next();
    const inner = c.withNewlines(false, () => parseExpr(c));
    c.close(')', 'parenthesis', location);
    return inner;
  }
  if (c.at('[')) return parseArray(c);
  if (c.at('{')) return parseBrace(c);
  throw c.unexpected('a term');
}

/** Applies adjacent `.name`, `[expr]` and `(args)` steps to `head`. */
function withSteps(c: Cursor, head: Term): Term {
  let term = head;
  const path: Term[] = [];
  const flush = (): void => {
    if (path.length > 0)
      term = { type: 'ref', location: head.location, head: term, path: path.splice(0) };
  };
  for (;;) {
    if (c.atAdjacent('.')) {
      c.next();
      const name = c.peek();
      if ((name.kind !== 'ident' && name.kind !== 'keyword') || name.ws)
        throw c.unexpected('a name after "."');
      c.next();
      path.push({ type: 'string', location: name.loc, value: name.text, raw: false, dot: true });
    } else if (c.atAdjacent('[')) {
      const open = c.next().loc;
      path.push(c.withNewlines(false, () => parseExpr(c)));
      c.close(']', 'ref bracket', open);
    } else if (c.atAdjacent('(')) {
      flush();
      if (term.type !== 'var' && term.type !== 'ref')
        throw c.unexpected('a function name before "("');
      const args = parseArgs(c);
      term = { type: 'call', location: head.location, callee: term, args };
    } else {
      flush();
      return term;
    }
  }
}

/** `( term, … )`, current token `(`. Also used for function heads. */
export function parseArgs(c: Cursor): Term[] {
  const open = c.expect('(').loc;
  return c.withNewlines(false, () => {
    const args: Term[] = [];
    while (!c.at(')')) {
      args.push(parseExpr(c));
      if (!c.eat(',')) break;
    }
    c.close(')', 'argument list', open);
    return args;
  });
}

function parseArray(c: Cursor): Term {
  const location = c.expect('[').loc;
  return c.withNewlines(false, (): Term => {
    if (c.eat(']')) return { type: 'array', location, items: [] } satisfies ArrayTerm;
    const first = parseExpr(c, { noOr: true });
    if (c.eat('|')) {
      const body = parseQueryBody(c, ']', 'array comprehension', location);
      return { type: 'arraycomp', location, head: first, body };
    }
    const items = [first, ...rest(c, ']', 'array', location, () => parseExpr(c))];
    return { type: 'array', location, items };
  });
}

/** `{}` object, `{k: v, …}` object, `{a, …}` set, or a set/object comprehension. */
function parseBrace(c: Cursor): Term {
  const location = c.expect('{').loc;
  return c.withNewlines(false, (): Term => {
    if (c.eat('}')) return { type: 'object', location, entries: [] };
    const first = parseExpr(c, { noOr: true });
    if (c.eat(':')) {
      const value = parseExpr(c, { noOr: true });
      if (c.eat('|')) {
        const body = parseQueryBody(c, '}', 'object comprehension', location);
        return { type: 'objectcomp', location, key: first, value, body };
      }
      const more = rest(c, '}', 'object', location, () => {
        const key = parseExpr(c);
        c.expect(':', 'between object key and value');
        return { key, value: parseExpr(c) };
      });
      return { type: 'object', location, entries: [{ key: first, value }, ...more] };
    }
    if (c.eat('|')) {
      const body = parseQueryBody(c, '}', 'set comprehension', location);
      return { type: 'setcomp', location, head: first, body };
    }
    const items = [first, ...rest(c, '}', 'set', location, () => parseExpr(c))];
    return { type: 'set', location, items };
  });
}

/** The elements after the first: `, x`* with an optional trailing comma, then the closer. */
function rest<T>(
  c: Cursor,
  closer: string,
  what: string,
  open: VarTerm['location'],
  item: () => T,
): T[] {
  const out: T[] = [];
  while (c.eat(',')) {
    if (c.at(closer)) break;
    out.push(item());
  }
  c.close(closer, what, open);
  return out;
}
