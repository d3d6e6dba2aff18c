// object.get(<package holding rules>, key, default) and sprintf of null, as the shipped
// policies use them, through the real SDK.
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
