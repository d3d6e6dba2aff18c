// Public entry of the syntax layer. Contract: parseModule/parseQuery never throw; they return the
// AST or up to MAX_ERRORS RegoSyntaxErrors, each with a location. Any other exception is a bug.
import type { Import, Module, Package, Query, Rule } from './ast.ts';
import { parseQueryBody } from './bodies.ts';
import { Cursor } from './cursor.ts';
import { parseError, RegoSyntaxError } from './errors.ts';
import { parseRule, parseRuleRef } from './heads.ts';
import { lex } from './lexer.ts';

export interface ParseOptions {
  /** Printed in locations; defaults to "policy.rego" / "query.rego". */
  readonly file?: string;
  /** Accept pre-1.0 rule bodies without `if` (the conformance runner sets this). */
  readonly compat?: boolean;
}

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly RegoSyntaxError[] };

/** More errors than this in one file are not reported: recovery after a bad rule is a guess. */
export const MAX_ERRORS = 3;

export function parseModule(text: string, opts: ParseOptions = {}): ParseResult<Module> {
  const file = opts.file ?? 'policy.rego';
  return guard(() => {
    const c = new Cursor(lex(text, file), opts.compat === true);
    const pkg = parsePackage(c);
    const imports: Import[] = [];
    while (c.at('import')) imports.push(parseImport(c));
    const rules: Rule[] = [];
    const errors: RegoSyntaxError[] = [];
    while (!c.atEnd() && errors.length < MAX_ERRORS) {
      try {
        rules.push(parseRule(c));
      } catch (e) {
        if (!(e instanceof RegoSyntaxError)) throw e;
        errors.push(e);
        resync(c);
      }
    }
    if (errors.length > 0) return { ok: false, errors };
    const value: Module = { location: pkg.location, file, package: pkg, imports, rules };
    return { ok: true, value };
  });
}

/** Parses a query: literals separated by ";" or newlines, e.g. `data.test.p = x`. */
export function parseQuery(text: string, opts: ParseOptions = {}): ParseResult<Query> {
  const file = opts.file ?? 'query.rego';
  return guard(() => {
    const tokens = lex(text, file);
    const c = new Cursor(tokens, opts.compat === true);
    if (c.atEnd()) throw parseError(c.peek().loc, 'empty query');
    return { ok: true, value: parseQueryBody(c, null, 'query', c.peek().loc) };
  });
}

function guard<T>(f: () => ParseResult<T>): ParseResult<T> {
  try {
    return f();
  } catch (e) {
    if (e instanceof RegoSyntaxError) return { ok: false, errors: [e] };
    throw e;
  }
}

function parsePackage(c: Cursor): Package {
  const t = c.peek();
  if (!c.at('package')) throw c.unexpected('"package" at the start of the module');
  c.next();
  const path = parseRuleRef(c, 'a package name');
  endOfLine(c, 'package');
  return { location: t.loc, path };
}

function parseImport(c: Cursor): Import {
  const location = c.expect('import').loc;
  const path = parseRuleRef(c, 'an import path');
  let alias: string | null = null;
  if (c.eat('as')) {
    const a = c.peek();
    if (a.kind !== 'ident') throw c.unexpected('an alias name after "as"');
    c.next();
    alias = a.text;
  }
  endOfLine(c, 'import');
  return { location, path, alias };
}

function endOfLine(c: Cursor, what: string): void {
  if (!c.atEnd() && !c.peek().nl) throw c.unexpected(`a newline after the ${what} declaration`);
}

/** Skips to the next name or `default` that starts a line in column 1: likely the next rule. */
function resync(c: Cursor): void {
  c.next();
  const ruleStart = (): boolean => {
    const t = c.peek();
    return t.nl && t.loc.col === 1 && (t.kind === 'ident' || t.text === 'default');
  };
  while (!c.atEnd() && !ruleStart()) c.next();
}
