// `with` end to end through the real SDK: the replacement holds for one expression only, and
// rule values cached during the evaluation never cross a `with` boundary in either direction.
import { describe, expect, it } from 'vitest';
import { compile } from '../regoc/index.ts';
import { loadPolicyBundleSync } from './loader.ts';

function run(rego: string, input: unknown = {}, data?: unknown): unknown {
  const r = compile([{ path: 'p.rego', text: `package t\n${rego}\n` }], { entrypoints: ['t/p'] });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const rows = loadPolicyBundleSync({ wasm: r.wasm, data }).evaluate(input, 't/p');
  return rows[0]?.result;
}

describe('with', () => {
  it('replaces input for one expression; the rule cache does not leak either way', () => {
    const rego = `r := input.x
p := [a, b, c, d] if {
  a := r
  b := r with input.x as 2
  c := r
  d := r with input as {"x": 3}
}`;
    expect(run(rego, { x: 1 })).toEqual([1, 2, 1, 3]);
  });

  it('a rule first evaluated inside `with` is evaluated again outside', () => {
    const rego = `r := input.x
p := [b, a] if {
  b := r with input.x as 2
  a := r
}`;
    expect(run(rego, { x: 1 })).toEqual([2, 1]);
  });

  it('patches input at a path, creating objects along it, and works without input', () => {
    expect(run('p := x if x := input with input.a.b as 1', { a: { c: 2 }, d: 3 })).toEqual({
      a: { b: 1, c: 2 },
      d: 3,
    });
    expect(run('p := x if x := input with input.a.b as 1', undefined)).toEqual({ a: { b: 1 } });
  });

  it('replaces base data and rules', () => {
    const rego = `q := 5
s := q + 1
p := [x, y, z, w] if {
  x := s with data.t.q as 10
  y := s
  z := data.cfg.n with data.cfg.n as 7
  w := data.cfg.n
}`;
    expect(run(rego, {}, { cfg: { n: 1 } })).toEqual([11, 6, 7, 1]);
  });

  it('takes values from the enclosing query, per solution', () => {
    const rego = `r := input.x * 10
p := {v | some i in [1, 2, 3]; v := r with input.x as i}`;
    expect(run(rego, { x: 0 })).toEqual([10, 20, 30]);
  });

  it('applies to negation and every', () => {
    expect(run('p if not input.a with input as {"b": 1}', { a: 1 })).toBe(true);
    expect(run('p if { every v in input { v == 1 } with input as [1, 1] }', [2])).toBe(true);
  });

  it('applies several modifiers in order', () => {
    expect(run('p := x if x := input with input as {"a": 1} with input.b as 2', { z: 0 })).toEqual({
      a: 1,
      b: 2,
    });
  });
});
