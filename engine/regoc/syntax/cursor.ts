// Token cursor shared by the parser files. It never reads past the final `eof` token.
import { parseError, type RegoSyntaxError } from './errors.ts';
import { formatLineCol, type Location } from './location.ts';
import type { Token } from './tokens.ts';

/** Nesting bound for terms and bodies; deeper input is refused instead of overflowing the stack. */
export const MAX_DEPTH = 200;

export class Cursor {
  private i = 0;
  private depth = 0;
  /** Top of stack: whether a newline ends an expression (bodies) or not (inside brackets). */
  private readonly nlModes: boolean[] = [true];
  constructor(
    private readonly tokens: readonly Token[],
    /** Accept pre-1.0 bodies (`p { … }`, `p[x] { … }`). */
    readonly compat: boolean,
  ) {}

  get index(): number {
    return this.i;
  }
  set index(v: number) {
    this.i = v;
  }
  peek(ahead = 0): Token {
    const t = this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)];
    if (t === undefined) throw new Error('token stream without eof');
    return t;
  }
  next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  /** Operator or keyword `text` at the current token. */
  at(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return (t.kind === 'op' || t.kind === 'keyword') && t.text === text;
  }
  /** Like `at`, but only when no whitespace separates the token from the previous one. */
  atAdjacent(text: string): boolean {
    return this.at(text) && !this.peek().ws;
  }
  eat(text: string): Token | undefined {
    return this.at(text) ? this.next() : undefined;
  }
  expect(text: string, context?: string): Token {
    const t = this.eat(text);
    if (t !== undefined) return t;
    throw this.unexpected(`"${text}"${context === undefined ? '' : ` ${context}`}`);
  }
  /** Expects the closing bracket of a construct opened at `open`. */
  close(text: string, what: string, open: Location): Token {
    return this.expect(text, `to close the ${what} started at ${formatLineCol(open)}`);
  }
  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }
  unexpected(expected: string): RegoSyntaxError {
    const t = this.peek();
    return parseError(t.loc, `expected ${expected}, found ${describe(t)}`);
  }
  /** Runs `f` with newlines significant (query bodies) or not (bracketed term lists). */
  withNewlines<T>(significant: boolean, f: () => T): T {
    this.nlModes.push(significant);
    try {
      return f();
    } finally {
      this.nlModes.pop();
    }
  }
  /** An infix operator continues the expression unless a significant newline precedes it. */
  atInfix(text: string): boolean {
    return this.at(text) && !(this.peek().nl && this.nlModes[this.nlModes.length - 1] === true);
  }
  /** Runs `f` one nesting level deeper; see MAX_DEPTH. */
  nested<T>(loc: Location, f: () => T): T {
    this.enter(loc);
    try {
      return f();
    } finally {
      this.leave();
    }
  }
  private enter(loc: Location): void {
    if (++this.depth > MAX_DEPTH) throw parseError(loc, `nesting deeper than ${MAX_DEPTH} levels`);
  }
  private leave(): void {
    this.depth--;
  }
}

export function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of file';
    case 'string':
      return 'a string';
    case 'number':
      return `number ${t.text}`;
    case 'ident':
      return `"${t.text}"`;
    default:
      return `"${t.text}"`;
  }
}
