import { describe, expect, it } from 'vitest';
import { hasRoundedInteger, hasUnsafeInteger, parseJsonExact } from './exact-json.ts';

describe('parseJsonExact', () => {
  it('keeps integers beyond 2^53 exact as bigint, everything else as JSON.parse', () => {
    const text =
      '{"ns": 1795780800123456789, "neg": -9007199254740993, "safe": 9007199254740991, "f": 1e300, "x": 1.5, "s": "12345678901234567890"}';
    expect(parseJsonExact(text)).toEqual({
      ns: 1795780800123456789n,
      neg: -9007199254740993n,
      safe: 9007199254740991,
      f: 1e300,
      x: 1.5,
      s: '12345678901234567890',
    });
  });

  it('ignores digits inside strings, escapes included', () => {
    const text = '["\\"99999999999999999999", {"k\\\\": 99999999999999999999}]';
    expect(parseJsonExact(text)).toEqual([
      '"99999999999999999999',
      { 'k\\': 99999999999999999999n },
    ]);
  });

  it('does not mistake a string that looks like its marker for a big integer', () => {
    const text = '["\\u0000certops-bigint-0:5", 123456789012345678]';
    expect(parseJsonExact(text)).toEqual(['\u0000certops-bigint-0:5', 123456789012345678n]);
  });

  it('detects what JSON.parse would round', () => {
    expect(hasUnsafeInteger('[9007199254740993]')).toBe(true);
    expect(hasUnsafeInteger('[9007199254740991, "9007199254740993", 1e20]')).toBe(false);
    expect(hasRoundedInteger(JSON.parse('{"a": [9007199254740993]}'))).toBe(true);
    expect(hasRoundedInteger({ a: [1, 2.5, 'x'] })).toBe(false);
  });

  it('throws on bad JSON', () => {
    expect(() => parseJsonExact('[1,')).toThrow(SyntaxError);
    expect(() => parseJsonExact('[99999999999999999999,')).toThrow(SyntaxError);
  });
});
