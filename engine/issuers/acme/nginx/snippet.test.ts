import { describe, expect, it } from 'vitest';
import { ExternalError } from '../../../errors.ts';
import { checkChallenge, renderSnippet } from './snippet.ts';

const T1 = 'evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA';
const KA1 = `${T1}.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI`;
const T2 = 'AAAA_token-2';
const KA2 = `${T2}.thumb_print-2`;

describe('http-01 nginx snippet', () => {
  it('has one exact-match location per token, sorted, returning the key authorization', () => {
    const text = renderSnippet(
      new Map([
        [T1, KA1],
        [T2, KA2],
      ]),
    );
    const lines = text.split('\n').filter((l) => l.startsWith('location'));
    expect(lines).toEqual([
      `location = /.well-known/acme-challenge/${T2} { default_type text/plain; return 200 "${KA2}"; }`,
      `location = /.well-known/acme-challenge/${T1} { default_type text/plain; return 200 "${KA1}"; }`,
    ]);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('is only comments when nothing is pending', () => {
    const text = renderSnippet(new Map());
    expect(text.split('\n').every((l) => l === '' || l.startsWith('#'))).toBe(true);
  });

  it.each([
    ['a quote', 'abc"; return 302 http://evil/; #', 'x'],
    ['a brace', 'abc}', 'x'],
    ['a slash', '../../etc', 'x'],
    ['a space', 'abc def', 'x'],
    ['a newline', 'abc\nlocation', 'x'],
    ['nothing', '', 'x'],
    ['a $ variable', 'abc$host', 'x'],
  ])('refuses a token from the CA with %s', (_what, token, thumb) => {
    expect(() => checkChallenge(token, `${token}.${thumb}`)).toThrow(ExternalError);
    expect(() => renderSnippet(new Map([[token, `${token}.${thumb}`]]))).toThrow(/malformed/);
  });

  it.each([
    ['another token', `${T2}.abc`],
    ['no thumbprint', `${T1}.`],
    ['no dot', T1],
    ['a quote in the thumbprint', `${T1}.ab"c`],
    ['a second dot', `${T1}.ab.c`],
  ])('refuses a key authorization with %s', (_what, ka) => {
    expect(() => checkChallenge(T1, ka)).toThrow(/key authorization .* malformed/);
  });

  it('accepts a real-looking challenge', () => {
    expect(() => checkChallenge(T1, KA1)).not.toThrow();
  });
});
