// Rego lexer. Contract: `lex` returns every token of `text` followed by one `eof` token, or throws
// a RegoSyntaxError. Numbers stay source text. Newlines are not tokens; each token records whether
// a newline preceded it (`nl`), which the parser uses to separate body expressions.
import { parseError, unsupported } from './errors.ts';
import type { Location } from './location.ts';
import { decodeString } from './strings.ts';
import { isKeyword, OPERATORS, type Token, type TokenKind } from './tokens.ts';

const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

export function lex(text: string, file: string): Token[] {
  return new Lexer(text, file).run();
}

class Lexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly out: Token[] = [];
  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  loc(offset = this.pos): Location {
    return { file: this.file, line: this.line, col: offset - this.lineStart + 1, offset };
  }

  run(): Token[] {
    for (;;) {
      const { nl, ws } = this.skipSpace();
      const start = this.loc();
      if (this.pos >= this.text.length) {
        this.push('eof', '', start, nl, ws);
        return this.out;
      }
      this.token(start, nl, ws);
    }
  }

  private push(
    kind: TokenKind,
    text: string,
    loc: Location,
    nl: boolean,
    ws: boolean,
    value = '',
    raw = false,
  ): void {
    this.out.push({ kind, text, value, raw, loc, end: this.pos, nl, ws });
  }

  private newline(at: number): void {
    this.line++;
    this.lineStart = at + 1;
  }

  private skipSpace(): { nl: boolean; ws: boolean } {
    let nl = false;
    const begin = this.pos;
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '\n') {
        nl = true;
        this.newline(this.pos);
        this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        this.pos++;
      } else if (c === '#') {
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      } else break;
    }
    return { nl, ws: this.pos > begin };
  }

  private token(start: Location, nl: boolean, ws: boolean): void {
    const t = this.text;
    const c = t[this.pos] ?? '';
    if (isIdentStart(c)) {
      const s = this.pos;
      while (this.pos < t.length && isIdentPart(t[this.pos] ?? '')) this.pos++;
      const word = t.slice(s, this.pos);
      this.push(isKeyword(word) ? 'keyword' : 'ident', word, start, nl, ws);
      return;
    }
    if (isDigit(c)) {
      this.push('number', this.number(start), start, nl, ws);
      return;
    }
    if (c === '"') {
      const s = this.pos;
      const value = this.quoted(start);
      this.push('string', t.slice(s, this.pos), start, nl, ws, value);
      return;
    }
    if (c === '`') {
      const s = this.pos;
      const end = t.indexOf('`', s + 1);
      if (end < 0) throw parseError(start, 'unterminated raw string');
      for (let i = s + 1; i < end; i++) if (t[i] === '\n') this.newline(i);
      this.pos = end + 1;
      this.push('string', t.slice(s, this.pos), start, nl, ws, t.slice(s + 1, end), true);
      return;
    }
    if (c === '$' && (t[this.pos + 1] === '"' || t[this.pos + 1] === '`')) {
      throw unsupported(start, 'template strings');
    }
    for (const op of OPERATORS) {
      if (t.startsWith(op, this.pos)) {
        this.pos += op.length;
        this.push('op', op, start, nl, ws);
        return;
      }
    }
    const shown = c === '!' ? '"!" (use "not" or "!=")' : JSON.stringify(c);
    throw parseError(start, `unexpected character ${shown}`);
  }

  /** JSON number syntax without the sign (the parser folds a leading "-"). Returns source text. */
  private number(start: Location): string {
    const t = this.text;
    const s = this.pos;
    const digits = (): number => {
      const d = this.pos;
      while (this.pos < t.length && isDigit(t[this.pos] ?? '')) this.pos++;
      return this.pos - d;
    };
    digits();
    if (t[s] === '0' && this.pos - s > 1) throw parseError(start, 'number with a leading zero');
    if (t[this.pos] === '.' && isDigit(t[this.pos + 1] ?? '')) {
      this.pos++;
      digits();
    }
    if (t[this.pos] === 'e' || t[this.pos] === 'E') {
      const save = this.pos;
      this.pos++;
      if (t[this.pos] === '+' || t[this.pos] === '-') this.pos++;
      if (digits() === 0) {
        this.pos = save;
        throw parseError(this.loc(save), 'number exponent without digits');
      }
    }
    if (isIdentPart(t[this.pos] ?? ''))
      throw parseError(this.loc(), 'identifier directly after a number');
    return t.slice(s, this.pos);
  }

  /** Scans a double-quoted string starting at the opening quote; returns the decoded value. */
  private quoted(start: Location): string {
    const t = this.text;
    let i = this.pos + 1;
    while (i < t.length && t[i] !== '"') {
      if (t[i] === '\n') throw parseError(start, 'unterminated string (newline inside "…")');
      i += t[i] === '\\' ? 2 : 1;
    }
    if (i >= t.length) throw parseError(start, 'unterminated string');
    const body = t.slice(this.pos + 1, i);
    this.pos = i + 1;
    return decodeString(body, (rel, msg) => parseError(this.loc(start.offset + 1 + rel), msg));
  }
}
