// compile() end to end for the stage 4–5 constructs: native builtins, composite terms,
// unification patterns, comprehensions, `some … in`, `every`, functions, object rules.
// Anything outside the exact native subset must abort `regoc:unsupported`, never guess.
import { describe, expect, it } from 'vitest';
import { loadPolicyBundleSync } from '../policy/loader.ts';
import { compile } from './index.ts';

function result(body: string, input?: unknown): unknown {
  const text = `package t\nimport rego.v1\n${body}\n`;
  const r = compile([{ path: 'p.rego', text }], { entrypoints: ['t/p'] });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return loadPolicyBundleSync({ wasm: r.wasm }).evaluate(input, 't/p');
}

describe('stage 4-5 constructs', () => {
  it.each([
    ['p := count(input.xs)', { xs: [1, 2, 3] }, 3],
    ['p := count("åäö")', {}, 3],
    ['p := sum([1, 2, 3])', {}, 6],
    ['p := max({3, 1, 2})', {}, 3],
    ['p := sort(["b", "a"])', {}, ['a', 'b']],
    ['p := concat(", ", input.xs)', { xs: ['a', 'b'] }, 'a, b'],
    ['p := lower("AbC")', {}, 'abc'],
    ['p := split("a.b.c", ".")', {}, ['a', 'b', 'c']],
    ['p := replace("foo...bar", "..", ",")', {}, 'foo,.bar'],
    ['p := trim("..a.b..", ".")', {}, 'a.b'],
    ['p := substring("åäö", 1, 1)', {}, 'ä'],
    ['p := indexof("åäcde", "cde")', {}, 2],
    ['p := format_int(-255, 16)', {}, '-ff'],
    ['p := format_int(-15.5, 16)', {}, '-f'],
    ['p := sprintf("%s has %d (%v)", ["x", 3, true])', {}, 'x has 3 (true)'],
    ['p := object.get(input, ["a", "b", 0], "d")', { a: { b: [7] } }, 7],
    ['p := object.get(input, "z", "d")', { a: 1 }, 'd'],
    ['p := glob.match("*.github.com", ["."], "api.github.com")', {}, true],
    ['p := glob.match("*.github.com", ["."], "a.b.github.com")', {}, false],
    ['p := glob.match("api.**.com", ["."], "api.cdn.github.com")', {}, true],
    ['p := ceil(1.01)', {}, 2],
    ['p := 7 / 7 + 7 % 4', {}, 4],
    ['p if { count(input.xs, 2) }', { xs: [1, 2] }, true],
    ['p := [x, {"k": x}, {x}] if x := input.a', { a: 1 }, [1, { k: 1 }, [1]]],
    ['p := y if [_, y] = input.xs', { xs: [1, 2] }, 2],
    ['p := y if { {"a": y} = input }', { a: 5 }, 5],
    ['p := [x | some x in input.xs; x > 1]', { xs: [1, 2, 3] }, [2, 3]],
    ['p := {k: v | some k, v in input}', { a: 1 }, { a: 1 }],
    ['p if every x in input.xs { x > 0 }', { xs: [1, 2] }, true],
    ['p := f(2) + f(3)\nf(x) := x * 10', {}, 50],
    ['p := q\nq[k] := v if some k, v in input', { a: 1, b: 2 }, { a: 1, b: 2 }],
    ['p := 2 in input.xs', { xs: [1, 2] }, true],
    ['p := ({1, 2} | {3}) - ({1} & {1, 4})', {}, [2, 3]],
    ['p := time.date(1517918400000000000)', {}, [2018, 2, 6]],
    ['p := time.weekday(0)', {}, 'Thursday'],
    ['p := time.parse_rfc3339_ns("1970-01-02T00:00:01.5+01:00")', {}, 82801500000000],
    ['p := time.add_date(0, 0, 1, 31)', {}, 5356800000000000],
    ['p := {1: "a"}', {}, { 1: 'a' }],
    ['p := [x, y] if [x, 2] = [1, y]', {}, [1, 2]],
    ['p := x if { {"a": x, "b": x} = {"a": 3, "b": 3} }', {}, 3],
  ])('%s', (body, input, want) => {
    expect(result(body, input)).toEqual([{ result: want }]);
  });

  it('is undefined where OPA is', () => {
    expect(result('p if every x in input.xs { x > 1 }', { xs: [1, 2] })).toEqual([]);
    expect(result('p := y if [_, y] = input.xs', { xs: [1, 2, 3] })).toEqual([]);
    expect(result('p := f(1)\nf(x) := 1 if x > 1', {})).toEqual([]);
    expect(result('p if [1, x, 3] = [1, 2, x]', {})).toEqual([]);
  });

  it('aborts as unsupported outside the exact subset', () => {
    expect(() => result('p := lower("Ä")', {})).toThrow(/regoc:unsupported/);
    expect(() => result('p := 1.5 / 2', {})).toThrow(/regoc:unsupported/);
    expect(() => result('p := sprintf("%e", [1])', {})).toThrow(/regoc:unsupported/);
    // A builtin error OPA raises is undefined without strict builtin errors.
    expect(result('p := 1 / 0', {})).toEqual([]);
    expect(() => result('p := {input.a: 1, input.b: 2}', { a: 'k', b: 'k' })).toThrow(
      /regoc:unsupported/,
    );
  });

  it('refuses recursion at compile time', () => {
    const text = 'package t\nimport rego.v1\np := f(1)\nf(x) := f(x)\n';
    const r = compile([{ path: 'p.rego', text }], { entrypoints: ['t/p'] });
    expect(!r.ok && r.diagnostics[0]?.message).toMatch(/recursion/);
  });
});
