// Host builtins end to end: Rego compiled by regoc, loaded through the loader (the real SDK
// calls the registry through env.opa_builtinN), evaluated with real inputs.
import { describe, expect, it } from 'vitest';
import { compile } from '../regoc/index.ts';
import { createHostBuiltins, HOST_BUILTIN_NAMES } from './host-builtins.ts';
import { loadPolicyBundleSync, type PolicyBundleSource } from './loader.ts';

function policy(rego: string, opts: Omit<PolicyBundleSource, 'wasm'> = {}) {
  const r = compile([{ path: 'p.rego', text: `package t\n${rego}\n` }], { entrypoints: ['t/p'] });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const bundle = loadPolicyBundleSync({ wasm: r.wasm, ...opts });
  return (input: unknown = {}) => bundle.evaluate(input, 't/p');
}
const value = (rows: { result: unknown }[]): unknown => rows[0]?.result;
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('regex.match / re_match (Go RE2 syntax)', () => {
  const m = policy('p := regex.match(input.re, input.s)');
  it.each([
    ['^[a-z]+\\[[0-9]+\\]$', 'foo[1]', true],
    ['^[a-z]+$', 'foo1', false],
    ['(?i)^ABC$', 'abc', true],
    ['a.b', 'a\rb', true], // Go's . excludes only \n
    ['a.b', 'a\nb', false],
    ['(?s)a.b', 'a\nb', true],
    ['(?m)^b$', 'a\nb\nc', true],
    ['(?m)^b$', 'a\rb', false], // only \n ends a line in Go
    ['\\s', '\u00a0', false], // Go's \s is ASCII
    ['x\\z', 'x\n', false],
    ['\\Qa.b\\E', 'axb', false],
    ['\\Qa.b\\E', 'a.b', true],
    ['[[:digit:]]{3}', 'ab123', true],
    ['\\pL+', 'é', true],
    ['x{', 'x{', true], // not a repetition: a literal brace
    ['😀+', '😀😀', true],
  ])('%s on %j is %s', (re, s, want) => {
    expect(value(m({ re, s }))).toBe(want);
  });

  it('re_match is the same builtin', () => {
    expect(value(policy('p := re_match("^a", "abc")')())).toBe(true);
  });

  it('refuses syntax it cannot map exactly as unsupported, never answering', () => {
    for (const re of ['(?=a)', 'a**', '(?i:a)b', 'a{1001}', '\\p{Greek}', '(?U)a+']) {
      expect(errorOf(() => m({ re, s: 'a' }))).toMatch(/regoc:unsupported: regex\.match: /);
    }
  });

  it('a bad pattern is undefined, or under strict builtin errors OPA’s eval_builtin_error', () => {
    expect(m({ re: '][', s: 'x' })).toEqual([]);
    const strict = policy('p := re_match(input.re, "x")', { strictBuiltinErrors: true });
    expect(errorOf(() => strict({ re: '][' }))).toContain(
      'regoc:eval_builtin_error: re_match: error parsing regexp: missing closing ]: `[`',
    );
    expect(errorOf(() => strict({ re: '(ab' }))).toContain(
      'error parsing regexp: missing closing ): `(ab`',
    );
    expect(errorOf(() => strict({ re: '*a' }))).toContain(
      'error parsing regexp: missing argument to repetition operator: `*`',
    );
    // An operand type error: its exact OPA text is not claimed, so unsupported when strict.
    expect(m({ re: 1, s: 'x' })).toEqual([]);
    expect(errorOf(() => strict({ re: 1 }))).toMatch(
      /^policy evaluation failed: regoc:unsupported/,
    );
  });
});

describe('net.cidr_contains', () => {
  const c = policy('p := net.cidr_contains(input.a, input.b)');
  it.each([
    ['10.0.0.0/8', '10.1.0.0/24', true],
    ['10.0.0.0/8', '192.168.1.0/24', false],
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.0/8', '10.0.0.0/7', false],
    ['10.1.2.3/8', '10.255.255.255', true], // the block is masked
    ['2001:4860:4860::8888/32', '2001:4860:4860:1234::8888/40', true],
    ['2001:4860::/96', '2001:4860::/32', false],
    ['::/0', '::1', true],
    ['0.0.0.0/0', '::1', false], // families never mix
    ['fe80::/10', 'FE80::1', true],
  ])('%s holds %s: %s', (a, b, want) => {
    expect(value(c({ a, b }))).toBe(want);
  });

  it('a malformed CIDR is undefined, or eval_builtin_error when strict', () => {
    expect(c({ a: 'not-a-cidr', b: '1.2.3.4' })).toEqual([]);
    expect(c({ a: '10.0.0.0/33', b: '10.0.0.1' })).toEqual([]);
    expect(c({ a: '10.0.0.0/8', b: '010.0.0.1' })).toEqual([]); // Go refuses leading zeros
    const strict = policy('p := net.cidr_contains(input.a, "1.2.3.4")', {
      strictBuiltinErrors: true,
    });
    expect(errorOf(() => strict({ a: 'not-a-cidr' }))).toContain(
      'regoc:eval_builtin_error: net.cidr_contains: invalid CIDR address: not-a-cidr',
    );
  });

  it('refuses forms whose Go reading is subtle', () => {
    for (const b of ['::ffff:1.2.3.4', '::ffff:a00:1', 'fe80::1%eth0']) {
      expect(errorOf(() => c({ a: '::/0', b }))).toMatch(/regoc:unsupported: net\.cidr_contains/);
    }
  });
});

describe('time.now_ns', () => {
  it('reads the injected clock once per evaluation, exactly beyond 2^53', () => {
    let t = 1_700_000_000_123_456_789n;
    const now = (): bigint => (t += 1000n);
    const p = policy('p := [a, b] if { a := time.now_ns(); b := time.now_ns() }', { now });
    // Exact in the result too (the loader's exact-result path), and inside the policy.
    expect(value(p())).toEqual([1_700_000_000_123_457_789n, 1_700_000_000_123_457_789n]);
    const exact = policy('p if time.now_ns() == 1700000000123457789', {
      now: () => 1_700_000_000_123_457_789n,
    });
    expect(value(exact())).toBe(true);
    const q = policy('p := time.now_ns()', { now });
    const first = value(q());
    expect(value(q())).not.toBe(first); // a new evaluation reads the clock again
  });

  it('accepts a Date', () => {
    const p = policy('p if time.now_ns() == 1000000000000000', { now: () => new Date(1e9) });
    expect(value(p())).toBe(true);
  });
});

describe('base64.decode', () => {
  const d = policy('p := base64.decode(input.s)');
  it('decodes padded standard base64 to UTF-8 text', () => {
    expect(value(d({ s: 'aMOpbGxv' }))).toBe('héllo');
    expect(value(d({ s: 'YQ==\n' }))).toBe('a');
    expect(value(d({ s: '' }))).toBe('');
  });
  it('invalid input is undefined; non-UTF-8 bytes are unsupported', () => {
    expect(d({ s: 'YQ' })).toEqual([]);
    expect(d({ s: 'a-b_' })).toEqual([]);
    expect(errorOf(() => d({ s: '/w==' }))).toMatch(/regoc:unsupported: base64\.decode/);
  });
});

describe('the registry', () => {
  it('refuses integers beyond 2^53 in arguments and results', () => {
    const { builtins } = createHostBuiltins();
    expect(() => builtins['regex.match']?.(2 ** 60, 'x')).toThrow(/regoc:unsupported/);
    const clock = createHostBuiltins({ now: () => 2n ** 60n });
    expect(() => clock.builtins['time.now_ns']?.()).toThrow(/regoc:unsupported.*2\^53/);
    expect(clock.builtins['regoc.time.now_ns']?.()).toBe(String(2n ** 60n));
    const small = createHostBuiltins({ now: () => 5n });
    expect(small.builtins['time.now_ns']?.()).toBe(5);
  });

  it('lists its names', () => {
    expect(HOST_BUILTIN_NAMES).toEqual([
      'base64.decode',
      'net.cidr_contains',
      're_match',
      'regex.match',
      'regoc.time.now_ns',
      'time.now_ns',
    ]);
  });

  it('a module calling several host builtins (both regex names, the clock) evaluates', () => {
    const r = compile(
      [
        {
          path: 'p.rego',
          text: 'package t\np if { regex.match("a", "a"); re_match("a", "a"); time.now_ns() > 0 }\n',
        },
      ],
      { entrypoints: ['t/p'] },
    );
    if (!r.ok) throw new Error('compile failed');
    const b = loadPolicyBundleSync({ wasm: r.wasm });
    expect(b.evaluate({}, 't/p')).toEqual([{ result: true }]);
  });
});

describe('set results', () => {
  it('come back sorted in OPA order', () => {
    const p = policy('p := {x | some x in input.xs}');
    expect(value(p({ xs: ['c', 2, 'a', [1], 'b', 1, null] }))).toEqual([
      null,
      1,
      2,
      'a',
      'b',
      'c',
      [1],
    ]);
  });
});
