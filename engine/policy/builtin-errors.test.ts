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
