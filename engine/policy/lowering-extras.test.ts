// Lowerings beside the core subset, through the real SDK: object.get(<package holding rules>,
// key, default) and sprintf of null (as the shipped policies use them), computed defaults.
import { describe, expect, it } from 'vitest';
import { compile } from '../regoc/index.ts';
import { loadPolicyBundleSync } from './loader.ts';

function run(modules: string[], data?: unknown): unknown {
  const r = compile(
    modules.map((text, i) => ({ path: `m${i}.rego`, text })),
    { entrypoints: ['t/p'] },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return loadPolicyBundleSync({ wasm: r.wasm, data }).evaluate({}, 't/p')[0]?.result;
}

describe('object.get on a package of rules', () => {
  const rules = 'package c.r\nx := 1\nu := 1 if false\n';
  it.each([
    ['"zones"', { c: { zones: ['a'] } }, ['a']],
    ['"missing"', { c: {} }, 'dflt'],
    ['["cfg", "n"]', { c: { cfg: { n: 2 } } }, 2],
    ['["r", "x"]', {}, 1], // a rule below the package
    ['["r", "u"]', {}, 'dflt'], // an undefined rule is an absent key
  ])('key %s', (key, data, want) => {
    expect(run([`package t\np := object.get(data.c, ${key}, "dflt")\n`, rules], data)).toEqual(
      want,
    );
  });
});

describe('sprintf', () => {
  it('formats null as OPA does (its Rego text)', () => {
    expect(run(['package t\np := sprintf("%v|%s", [null, null])\n'])).toBe('null|null');
  });
});

describe('default with a computed value', () => {
  const rego = (cond: string): string =>
    `package t\np := 1 if ${cond}\ndefault p := [x | some x in data.a]\n`;
  it('is the rule value when no body yields', () => {
    expect(run([rego('false')], { a: ['1', '2'] })).toEqual(['1', '2']);
    expect(run([rego('true')], { a: ['1', '2'] })).toBe(1);
  });
  it('set comprehensions too, and `with` overrides the rule', () => {
    const mods = [
      'package t\nq := 2 if false\ndefault q := {x | some x in data.a}\np := [v, w] if { v := q; w := q with data.t.q as 5 }\n',
    ];
    expect(run(mods, { a: ['b', 'a', 'b'] })).toEqual([['a', 'b'], 5]);
  });
});
