// Token model shared by the lexer and the parser.
import type { Location } from './location.ts';

export const KEYWORDS = [
  'package',
  'import',
  'default',
  'not',
  'with',
  'as',
  'some',
  'every',
  'in',
  'if',
  'contains',
  'else',
  'true',
  'false',
  'null',
] as const;
export type Keyword = (typeof KEYWORDS)[number];
const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
export function isKeyword(s: string): s is Keyword {
  return KEYWORD_SET.has(s);
}

/** Longest first, so the lexer can match greedily. */
export const OPERATORS = [
  ':=',
  '==',
  '!=',
  '<=',
  '>=',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '[',
  ']',
  '{',
  '}',
  '(',
  ')',
  '.',
  ',',
  ';',
  ':',
] as const;
export type Operator = (typeof OPERATORS)[number];

export type TokenKind = 'ident' | 'keyword' | 'string' | 'number' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier, keyword or operator text; number source text (never converted); string source. */
  readonly text: string;
  /** Decoded value, for strings only (empty otherwise). */
  readonly value: string;
  /** True for a backtick string. */
  readonly raw: boolean;
  readonly loc: Location;
  /** 0-based offset just past the token. */
  readonly end: number;
  /** A newline (possibly inside a comment line) separates this token from the previous one. */
  readonly nl: boolean;
  /** Any whitespace or comment separates this token from the previous one. */
  readonly ws: boolean;
}
