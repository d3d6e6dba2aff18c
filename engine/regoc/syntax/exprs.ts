// Infix expressions over terms. Precedence, loosest first (as in OPA):
//   in  <  == != < <= > >=  <  |  <  &  <  + -  <  * / %
// All levels are left-associative. `:=`/`=` are handled one level up, in bodies.ts.
import type { InfixOp, Term } from './ast.ts';
import type { Cursor } from './cursor.ts';
import { parsePrimary } from './terms.ts';

export interface ExprOptions {
  /** Stop before a top-level `|` (the head of a comprehension). */
  readonly noOr?: boolean;
  /** Stop before `in` (the operands of `some … in` and `every … in`). */
  readonly noIn?: boolean;
}

/** Parses a term with infix operators; the widest expression that is not an assignment. */
export function parseExpr(c: Cursor, opts: ExprOptions = {}): Term {
  let left = parseRelation(c, opts);
  while (!opts.noIn && c.atInfix('in')) {
    c.next();
    const collection = parseRelation(c, opts);
    left = { type: 'in', location: left.location, key: null, value: left, collection };
  }
  return left;
}

export function parseRelation(c: Cursor, opts: ExprOptions = {}): Term {
  return level(c, ['==', '!=', '<', '<=', '>', '>='], () => parseOr(c, opts));
}

function parseOr(c: Cursor, opts: ExprOptions): Term {
  const ops: InfixOp[] = opts.noOr ? [] : ['|'];
  return level(c, ops, () => parseAnd(c));
}

function parseAnd(c: Cursor): Term {
  return level(c, ['&'], () => parseArith(c));
}

function parseArith(c: Cursor): Term {
  return level(c, ['+', '-'], () => parseFactor(c));
}

function parseFactor(c: Cursor): Term {
  return level(c, ['*', '/', '%'], () => parsePrimary(c));
}

function level(c: Cursor, ops: readonly InfixOp[], operand: () => Term): Term {
  let left = operand();
  for (;;) {
    const op = ops.find((o) => c.atInfix(o));
    if (op === undefined) return left;
    c.next();
    const right = operand();
    left = { type: 'infix', location: left.location, op, left, right };
  }
}
