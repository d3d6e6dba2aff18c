import { describe, expect, it } from 'vitest';
import { RegoSyntaxError } from './errors.ts';
import { lex } from './lexer.ts';

const kinds = (s: string): string[] => lex(s, 't.rego').map((t) => `${t.kind}:${t.text}`);

function lexError(s: string): RegoSyntaxError {
  try {
    lex(s, 't.rego');
  } catch (e) {
    if (e instanceof RegoSyntaxError) return e;
    throw e;
  }
  throw new Error(`no error for ${s}`);
}

describe('lex', () => {
  it('splits identifiers, keywords and operators, longest operator first', () => {
    expect(kinds('p := x if { x != 1; y <= 2 }')).toEqual([
      'ident:p',
      'op::=',
      'ident:x',
      'keyword:if',
      'op:{',
      'ident:x',
      'op:!=',
      'number:1',
      'op:;',
      'ident:y',
      'op:<=',
      'number:2',
      'op:}',
      'eof:',
    ]);
    expect(kinds('__local0__ contains every some in not with as else default')).toEqual([
      'ident:__local0__',
      'keyword:contains',
      'keyword:every',
      'keyword:some',
      'keyword:in',
      'keyword:not',
      'keyword:with',
      'keyword:as',
      'keyword:else',
      'keyword:default',
      'eof:',
    ]);
  });

  it('keeps numbers as source text, including huge ints, floats and exponents', () => {
    const nums = lex('123456789123456789123 1.5 10e12 2E-3 0', 't').filter(
      (t) => t.kind === 'number',
    );
    expect(nums.map((t) => t.text)).toEqual(['123456789123456789123', '1.5', '10e12', '2E-3', '0']);
  });

  it('decodes escapes, \\u and surrogate pairs; raw strings stay verbatim', () => {
    const [a, b, c] = lex('"a\\n\\"\\u00e9\\ud83d\\ude00\\/" `x\\n[1]` "\\udc00"', 't');
    expect(a?.value).toBe('a\n"é😀/');
    expect(b).toMatchObject({ value: 'x\\n[1]', raw: true });
    expect(c?.value).toBe('\ufffd');
  });

  it('records 1-based line/col, offsets and newline/whitespace flags; skips comments', () => {
    const toks = lex('p # c\n  q.r', 'f.rego');
    expect(toks[1]).toMatchObject({
      text: 'q',
      nl: true,
      ws: true,
      loc: { file: 'f.rego', line: 2, col: 3, offset: 8 },
    });
    expect(toks[2]).toMatchObject({ text: '.', nl: false, ws: false });
    const raw = lex('`a\nb` x', 'f');
    expect(raw[1]?.loc).toMatchObject({ line: 2, col: 4 });
  });

  it('reports errors with locations', () => {
    expect(lexError('p := "abc').message).toBe('t.rego:1:6: unterminated string');
    expect(lexError('x\n  "a\\q"').message).toBe('t.rego:2:5: invalid escape "\\q"');
    expect(lexError('x := 01').detail).toBe('number with a leading zero');
    expect(lexError('x := 1e').detail).toBe('number exponent without digits');
    expect(lexError('x := 1abc').detail).toBe('identifier directly after a number');
    expect(lexError('x := "\\u12"').detail).toContain('4 hex digits');
    expect(lexError('x := `abc').detail).toBe('unterminated raw string');
    expect(lexError('!x').detail).toContain('"!"');
  });

  it('refuses template strings as unsupported', () => {
    const e = lexError('x := $"hello {y}"');
    expect(e.code).toBe('REGO_UNSUPPORTED');
    expect(e.message).toBe('t.rego:1:6: unsupported: template strings');
  });
});
