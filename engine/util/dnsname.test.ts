import { describe, expect, it } from 'vitest';
import { normalizeDnsName } from './dnsname.ts';

describe('normalizeDnsName', () => {
  it.each([
    ['example.com', 'example.com', false],
    ['API.Example.COM', 'api.example.com', false],
    ['*.apps.example.com', '*.apps.example.com', true],
    ['bücher.example', 'xn--bcher-kva.example', false],
    ['*.bücher.example', '*.xn--bcher-kva.example', true],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example', false],
    ['localhost', 'localhost', false],
    ['a-b.c1.example', 'a-b.c1.example', false],
  ])('%s → %s', (input, ascii, wildcard) => {
    expect(normalizeDnsName(input)).toEqual({ ok: true, ascii, wildcard });
  });

  it.each([
    ['', 'is empty'],
    ['a..b.com', 'empty label'],
    ['.a.com', 'empty label'],
    ['a.com.', 'trailing dot'],
    ['api.*.example.com', 'wildcard'],
    ['*foo.example.com', 'wildcard'],
    ['foo.*', 'wildcard'],
    ['*.com', 'top-level'],
    ['web_1.example.com', 'invalid label'],
    ['-web.example.com', 'invalid label'],
    ['web-.example.com', 'invalid label'],
    ['a b.com', 'white space'],
    ['10.0.0.1', 'IP address'],
    ['::1', 'IP address'],
    [`${'a'.repeat(64)}.com`, 'longer than 63'],
    [`${'abcdefghi.'.repeat(26)}com`, 'longer than 253'],
    ['xn--zz-.example', 'invalid'],
  ])('refuses %j (%s)', (input, why) => {
    const r = normalizeDnsName(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason + r.hint).toMatch(
        new RegExp(why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'),
      );
      expect(r.hint.length).toBeGreaterThan(0);
    }
  });
});
