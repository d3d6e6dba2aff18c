// Builtin errors OPA raises, through the real SDK: with strict builtin errors (the compile
// option, recorded in the module) they stop the evaluation with OPA's code and text;
// without, the call is undefined, as in OPA.
import { describe, expect, it } from 'vitest';
import { compile } from '../regoc/index.ts';
import { loadPolicyBundleSync } from './loader.ts';

function run(body: string, strict: boolean, input: unknown = {}): unknown {
  const r = compile([{ path: 'p.rego', text: `package t\np := x if {\n${body}\n}\n` }], {
    entrypoints: ['t/p'],
    strict,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  try {
    return loadPolicyBundleSync({ wasm: r.wasm }).evaluate(input, 't/p');
  } catch (e) {
    return (e as Error).message.replace(/^policy evaluation failed: /, '');
  }
}

describe('builtin errors', () => {
  it.each([
    ['x := input.a / input.b', { a: 1, b: 0 }, 'regoc:eval_builtin_error: div: divide by zero'],
    ['x := input.a % input.b', { a: 1, b: 0 }, 'regoc:eval_builtin_error: rem: modulo by zero'],
    [
      'x := input.a % 1',
      { a: 1.5 },
      'regoc:eval_builtin_error: rem: modulo on floating-point number',
    ],
    [
      'x := object.get(input.o, ["a"], 2)',
      { o: 'str' },
      'regoc:eval_type_error: object.get: operand 1 must be object but got string',
    ],
    [
      'x := format_int(input.n, 199)',
      { n: 4 },
      'regoc:eval_type_error: format_int: operand 2 must be one of {2, 8, 10, 16}',
    ],
    [
      'x := input.s - 1',
      { s: 'a' },
      'regoc:eval_type_error: minus: operand 1 must be one of {number, set} but got string',
    ],
    [
      'x := 1 - input.s',
      { s: [1] },
      'regoc:eval_type_error: minus: operand 2 must be number but got array',
    ],
    [
      'x := {1} - input.n',
      { n: 1 },
      'regoc:eval_type_error: minus: operand 2 must be set but got number',
    ],
    [
      'x := re_match("][", "x")',
      {},
      'regoc:eval_builtin_error: re_match: error parsing regexp: missing closing ]: `[`',
    ],
  ])('%s with %j', (body, input, message) => {
    expect(run(body, true, input)).toBe(message);
    expect(run(body, false, input)).toEqual([]);
  });

  it('any_prefix_match type errors are undefined without strict errors', () => {
    const body = 'x := strings.any_prefix_match(input.s, ["a"])';
    expect(run(body, false, { s: [1] })).toEqual([]);
    expect(run(body, false, { s: 1 })).toEqual([]);
    expect(run(body, true, { s: 1 })).toMatch(/^regoc:unsupported/);
    expect(run(body, false, { s: ['ab'] })).toEqual([{ result: true }]);
  });
});

describe('time builtins at the int64 edges', () => {
  it('parse_rfc3339_ns reaches exactly int64 and errors one nanosecond beyond', () => {
    const min = 'time.parse_rfc3339_ns(input.t) == -9223372036854775808\nx := true';
    expect(run(min, true, { t: '1677-09-21T00:12:43.145224192-00:00' })).toEqual([
      { result: true },
    ]);
    const max = 'time.parse_rfc3339_ns(input.t) == 9223372036854775807\nx := true';
    expect(run(max, true, { t: '2262-04-11T23:47:16.854775807Z' })).toEqual([{ result: true }]);
    for (const t of ['1677-09-21T00:12:43.145224191-00:00', '2262-04-11T23:47:16.854775808Z']) {
      const body = 'x := time.parse_rfc3339_ns(input.t)';
      expect(run(body, true, { t })).toBe(
        'regoc:eval_builtin_error: time.parse_rfc3339_ns: time outside of valid range',
      );
      expect(run(body, false, { t })).toEqual([]);
    }
  });

  it('date / clock / weekday of a timestamp beyond int64, add_date beyond int64', () => {
    for (const f of ['time.date', 'time.clock', 'time.weekday']) {
      const body = `x := ${f}(1582977600 * 1000000000000)`;
      expect(run(body, true)).toBe(`regoc:eval_builtin_error: ${f}: timestamp too big`);
      expect(run(body, false)).toEqual([]);
    }
    const add = 'x := time.add_date(-9223372036854775808, 0, 0, -1)';
    expect(run(add, true)).toBe(
      'regoc:eval_builtin_error: time.add_date: time outside of valid range',
    );
  });
});

describe('sprintf', () => {
  it.each([
    ['"hi %02X.%02X", [127, 1]', 'hi 7F.01'],
    ['"%x|%X", [-255, 255]', '-ff|FF'],
    ['"[%5d][%05d][%3x]", [42, 42, 255]', '[   42][00042][ ff]'],
    [
      '"%s %v %d", [123456789123456789123, 1208925819614629174706175, 123456789123456789123]',
      '123456789123456789123 1208925819614629174706175 123456789123456789123',
    ],
    ['"100%% %s", ["x"]', '100% x'],
  ])('sprintf(%s)', (args, want) => {
    expect(run(`x := sprintf(${args})`, true)).toEqual([{ result: want }]);
  });

  it.each([
    '"%x", ["ab"]',
    '"%x", [null]',
    '"%5s", ["a"]',
    '"%05d", [-1]',
    '"%-5d", [1]',
    '"%x", [123456789123456789123]',
  ])('refuses sprintf(%s) as unsupported', (args) => {
    expect(run(`x := sprintf(${args})`, true)).toMatch(/^regoc:unsupported/);
  });
});

describe('division', () => {
  it.each([
    ['1 / 2', 0.5],
    ['-3 / 8', -0.375],
    ['3 / -4', -0.75],
    ['1 / 1024', 0.0009765625],
    ['10 / 4', 2.5],
    ['6 / 3', 2],
  ])('%s is exact', (expr, want) => {
    expect(run(`x := ${expr}`, true)).toEqual([{ result: want }]);
  });
  it('compares exactly', () => {
    expect(run('1 / 2 < 1\n1 / 2 == 0.5\nx := true', true)).toEqual([{ result: true }]);
  });
  it.each(['1 / 3', '1 / 10', '7 / 1099511627776'])('%s is unsupported', (expr) => {
    expect(run(`x := ${expr}`, true)).toMatch(/^regoc:unsupported/);
  });
});

describe('numbers.range', () => {
  it.each([
    ['1, 4', [1, 2, 3, 4]],
    ['2, -1', [2, 1, 0, -1]],
    ['5, 5', [5]],
  ])('numbers.range(%s)', (args, want) => {
    expect(run(`x := numbers.range(${args})`, true)).toEqual([{ result: want }]);
  });
  it('refuses non-integers and huge ranges', () => {
    expect(run('x := numbers.range(1.5, 3)', true)).toMatch(/^regoc:unsupported/);
    expect(run('x := numbers.range(0, 10000000)', true)).toMatch(/^regoc:unsupported/);
  });
});
