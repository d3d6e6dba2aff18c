// Decoding of double-quoted Rego string bodies (JSON escapes). Lone surrogates in \u escapes are
// replaced by U+FFFD, as Go's strconv.Unquote (and so OPA) does.
import type { RegoSyntaxError } from './errors.ts';

const SIMPLE: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** `fail(offsetInBody, message)` builds the error for a bad escape; the result is thrown. */
export function decodeString(
  body: string,
  fail: (offset: number, message: string) => RegoSyntaxError,
): string {
  let out = '';
  let i = 0;
  const hex4 = (at: number): number => {
    const h = body.slice(at, at + 4);
    if (!/^[0-9A-Fa-f]{4}$/.test(h)) throw fail(at - 2, 'invalid \\u escape: need 4 hex digits');
    return parseInt(h, 16);
  };
  while (i < body.length) {
    const c = body[i] ?? '';
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1] ?? '';
    const simple = SIMPLE[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    if (e !== 'u') throw fail(i, `invalid escape "\\${e}"`);
    const u = hex4(i + 2);
    i += 6;
    if (u >= 0xd800 && u <= 0xdbff && body[i] === '\\' && body[i + 1] === 'u') {
      const lo = hex4(i + 2);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        out += String.fromCharCode(u, lo);
        i += 6;
        continue;
      }
    }
    out += u >= 0xd800 && u <= 0xdfff ? '\ufffd' : String.fromCharCode(u);
  }
  return out;
}
