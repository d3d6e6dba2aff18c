// Helpers for the parser tests: parse or fail loudly, and render for compact assertions.
import type { Module, Query } from './ast.ts';
import type { RegoSyntaxError } from './errors.ts';
import { parseModule, parseQuery, type ParseOptions } from './parser.ts';
import { printQuery, printRule } from './print.ts';

export function mod(text: string, opts: ParseOptions = { compat: true }): Module {
  const r = parseModule(text, opts);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

/** Parses `package t` + `rules` and prints each rule on its own line. */
export function rules(text: string, opts: ParseOptions = { compat: true }): string[] {
  return mod(`package t\n${text}`, opts).rules.map(printRule);
}

export function query(text: string): Query {
  const r = parseQuery(text);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

export const q = (text: string): string => printQuery(query(text));

export function moduleErrors(
  text: string,
  opts: ParseOptions = { compat: true },
): readonly RegoSyntaxError[] {
  const r = parseModule(text, { file: 'policy.rego', ...opts });
  if (r.ok) throw new Error(`expected errors for:\n${text}`);
  return r.errors;
}
