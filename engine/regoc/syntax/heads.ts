// Rules: `[default] head [if body | { body }] [else …]*`. Contract: on return the cursor is at the
// first token of the next line (or eof); anything else left on the rule's line is an error.
import type { ElseClause, Query, Rule, RuleHead, RuleRef, Term } from './ast.ts';
import { parseLiteral, parseQueryBody } from './bodies.ts';
import { describe, type Cursor } from './cursor.ts';
import { parseError, unsupported } from './errors.ts';
import { parseExpr } from './exprs.ts';
import type { Location } from './location.ts';
import { parseArgs } from './terms.ts';

/** `name(.name | [term])*` with adjacent steps: rule heads, `package`, `import`. */
export function parseRuleRef(c: Cursor, what: string): RuleRef {
  const t = c.peek();
  if (t.kind !== 'ident') throw c.unexpected(what);
  c.next();
  const path: Term[] = [];
  for (;;) {
    if (c.atAdjacent('.')) {
      c.next();
      const n = c.peek();
      if (n.kind !== 'ident' && n.kind !== 'keyword') throw c.unexpected('a name after "."');
      c.next();
      path.push({ type: 'string', location: n.loc, value: n.text, raw: false, dot: true });
    } else if (c.atAdjacent('[')) {
      const open = c.next().loc;
      path.push(c.withNewlines(false, () => parseExpr(c)));
      c.close(']', 'ref bracket', open);
    } else break;
  }
  return { location: t.loc, name: { type: 'var', location: t.loc, name: t.text }, path };
}

export function parseRule(c: Cursor): Rule {
  const location = c.peek().loc;
  const isDefault = c.eat('default') !== undefined;
  if (c.at('import')) throw parseError(location, 'imports must come before the rules');
  let head = parseHead(c, location);
  if (isDefault) {
    if (head.kind === 'multi' || head.value === null)
      throw parseError(location, 'a default rule needs ":= value"');
    endOfRule(c);
    return { location, isDefault, head, body: null, bodyStyle: 'none', elses: [] };
  }
  let bodyStyle: Rule['bodyStyle'] = 'none';
  let body: Query | null = null;
  if (c.at('if')) {
    bodyStyle = 'if';
    body = parseIfBody(c);
  } else if (c.at('{')) {
    bodyStyle = 'braces';
    body = parseLegacyBody(c);
    head = legacySet(head);
  }
  if (c.at('{') && body !== null) throw unsupported(c.peek().loc, 'rule with multiple bodies');
  const elses: ElseClause[] = [];
  while (c.at('else')) elses.push(parseElse(c));
  if (elses.length > 0) checkElse(head, location);
  endOfRule(c);
  return { location, isDefault, head, body, bodyStyle, elses };
}

function parseHead(c: Cursor, location: Location): RuleHead {
  const ref = parseRuleRef(c, 'a rule name');
  const args = c.atAdjacent('(') ? parseArgs(c) : null;
  const base = { location, ref, args, legacySet: false };
  if (c.at('contains')) {
    if (args !== null) throw parseError(c.peek().loc, 'a function cannot use "contains"');
    c.next();
    return { ...base, kind: 'multi', key: parseExpr(c), value: null, assign: null };
  }
  const kind = args === null ? 'single' : 'function';
  for (const op of [':=', '='] as const) {
    if (c.at(op)) {
      c.next();
      return { ...base, kind, key: null, value: parseExpr(c), assign: op };
    }
  }
  return { ...base, kind, key: null, value: null, assign: null };
}

/** Pre-1.0 `p[x] { … }` (no value, no `if`) declares a partial set with key `x`. */
function legacySet(head: RuleHead): RuleHead {
  const last = head.ref.path[head.ref.path.length - 1];
  if (head.kind !== 'single' || head.value !== null || last === undefined) return head;
  if (last.type === 'string' && last.dot === true) return head;
  const ref = { ...head.ref, path: head.ref.path.slice(0, -1) };
  return { ...head, kind: 'multi', ref, key: last, legacySet: true };
}

/** After `if`: a braced query, or a single literal on the same line. */
function parseIfBody(c: Cursor): Query {
  c.expect('if');
  if (c.at('{')) {
    const open = c.next().loc;
    return parseQueryBody(c, '}', 'rule body', open);
  }
  if (c.peek().nl || c.atEnd()) throw c.unexpected('a rule body after "if"');
  const literal = parseLiteral(c);
  return { location: literal.location, literals: [literal] };
}

function parseLegacyBody(c: Cursor): Query {
  const open = c.peek().loc;
  if (!c.compat) {
    throw parseError(open, 'rule body without "if" is pre-1.0 syntax', 'add `if` before "{"');
  }
  c.next();
  return parseQueryBody(c, '}', 'rule body', open);
}

function parseElse(c: Cursor): ElseClause {
  const location = c.expect('else').loc;
  let value: Term | null = null;
  let assign: ElseClause['assign'] = null;
  const op = c.eat(':=') ?? c.eat('=');
  if (op !== undefined) {
    assign = op.text === ':=' ? ':=' : '=';
    value = parseExpr(c);
  }
  let body: Query | null = null;
  if (c.at('if')) body = parseIfBody(c);
  else if (c.at('{')) body = parseLegacyBody(c);
  return { location, value, assign, body };
}

function checkElse(head: RuleHead, at: Location): void {
  if (head.kind === 'multi')
    throw parseError(at, '"else" cannot be used on a multi-value ("contains") rule');
  if (head.ref.path.some((p) => p.type !== 'string')) {
    throw unsupported(at, 'rule with both else and a ref head with variables');
  }
}

function endOfRule(c: Cursor): void {
  const t = c.peek();
  if (t.kind === 'eof' || t.nl) return;
  throw parseError(t.loc, `expected a newline after the rule, found ${describe(t)}`);
}
