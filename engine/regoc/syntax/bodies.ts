// Queries (rule bodies, comprehension bodies, top-level queries) and their literals.
// Literals are separated by ";" or a newline.
import type { Expr, Literal, Query, Term, VarTerm, WithModifier } from './ast.ts';
import type { Cursor } from './cursor.ts';
import { parseError } from './errors.ts';
import { parseExpr, parseRelation } from './exprs.ts';
import type { Location } from './location.ts';
import { formatLineCol } from './location.ts';

/**
 * Parses literals up to and including `closer` (or up to end of input when `closer` is null).
 * `what` and `open` name the construct for "expected X to close the … started at L:C" errors.
 */
export function parseQueryBody(
  c: Cursor,
  closer: string | null,
  what: string,
  open: Location,
): Query {
  return c.withNewlines(true, () =>
    c.nested(open, () => {
      const literals: Literal[] = [];
      for (;;) {
        if (c.atEnd() && closer !== null) throw closeError(c, closer, what, open);
        if (closer !== null && c.at(closer) && literals.length === 0)
          throw parseError(c.peek().loc, `empty ${what}`);
        literals.push(parseLiteral(c));
        if (closer !== null && c.eat(closer)) break;
        if (closer === null && c.atEnd()) break;
        if (c.eat(';') || c.peek().nl) continue;
        throw closeError(c, closer ?? 'end of query', what, open);
      }
      return { location: literals[0]?.location ?? open, literals };
    }),
  );
}

function closeError(c: Cursor, closer: string, what: string, open: Location): Error {
  const expected = closer === 'end of query' ? '";" or a newline' : `"${closer}"`;
  return c.unexpected(`${expected} to close the ${what} started at ${formatLineCol(open)}`);
}

/** One literal: `some …`, `every …`, or `[not] expr`, each followed by `with` modifiers. */
export function parseLiteral(c: Cursor): Literal {
  const location = c.peek().loc;
  let negated = false;
  let expr: Expr;
  if (c.at('some')) expr = parseSome(c);
  else if (c.at('every')) expr = parseEvery(c);
  else {
    negated = c.eat('not') !== undefined;
    expr = parseAssign(c);
  }
  const mods: WithModifier[] = [];
  while (c.at('with')) {
    const at = c.next().loc;
    const target = parseExpr(c);
    c.expect('as', 'in "with … as …"');
    mods.push({ location: at, target, value: parseExpr(c) });
  }
  return { location, negated, expr, with: mods };
}

/** `term [(:= | =) term]` */
export function parseAssign(c: Cursor): Expr {
  const left = parseExpr(c);
  for (const op of [':=', '='] as const) {
    if (c.atInfix(op)) {
      c.next();
      return { type: 'assign', location: left.location, op, left, right: parseExpr(c) };
    }
  }
  return { type: 'term', location: left.location, term: left };
}

/** `some x, y` or `some [k,] v in xs`; current token `some`. */
function parseSome(c: Cursor): Expr {
  const location = c.expect('some').loc;
  const terms: Term[] = [parseRelation(c, { noIn: true })];
  while (c.eat(',')) terms.push(parseRelation(c, { noIn: true }));
  if (c.eat('in')) {
    if (terms.length > 2) throw parseError(location, '"some … in" takes at most a key and a value');
    const collection = parseRelation(c);
    const [a, b] = terms;
    if (a === undefined) throw parseError(location, 'expected a variable after "some"');
    return b === undefined
      ? { type: 'somein', location, key: null, value: a, collection }
      : { type: 'somein', location, key: a, value: b, collection };
  }
  const vars = terms.map((t) => {
    if (t.type !== 'var') throw parseError(t.location, 'expected a variable in "some" declaration');
    return t;
  });
  return { type: 'some', location, vars };
}

/** `every [k,] v in xs { body }`; current token `every`. */
function parseEvery(c: Cursor): Expr {
  const location = c.expect('every').loc;
  const v1 = everyVar(c);
  const v2 = c.eat(',') ? everyVar(c) : null;
  c.expect('in', 'after the variables of "every"');
  const collection = parseRelation(c);
  const open = c.expect('{', 'to start the body of "every"').loc;
  const body = parseQueryBody(c, '}', '"every" body', open);
  return v2 === null
    ? { type: 'every', location, key: null, value: v1, collection, body }
    : { type: 'every', location, key: v1, value: v2, collection, body };
}

function everyVar(c: Cursor): VarTerm {
  const t = c.peek();
  if (t.kind !== 'ident') throw c.unexpected('a variable in "every"');
  c.next();
  return { type: 'var', location: t.loc, name: t.text };
}
