// The shipped policies' own Rego tests (policies/certops/*_test.rego), compiled by regoc with
// the policies and evaluated through the real SDK with policies/data.json, as `opa test` would:
// every `test_*` rule must be true. Their `with input as …` / `with data.certops.… as …`
// modifiers are what this exercises.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../regoc/index.ts';
import { loadPolicyBundleSync } from './loader.ts';

const root = join(import.meta.dirname, '..', '..', 'policies');
const dir = join(root, 'certops');
const sources = readdirSync(dir)
  .filter((f) => f.endsWith('.rego'))
  .sort()
  .map((f) => ({ path: `policies/certops/${f}`, text: readFileSync(join(dir, f), 'utf8') }));

const tests = [
  ...new Set(
    sources.flatMap((s) => {
      const pkg = (/^package\s+([\w.]+)/m.exec(s.text)?.[1] ?? '').replaceAll('.', '/');
      return [...s.text.matchAll(/^(test_\w+)/gm)].map((m) => `${pkg}/${m[1] as string}`);
    }),
  ),
];

describe('the shipped policies’ Rego tests under regoc', () => {
  const compiled = compile(sources, { entrypoints: tests });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  const data = JSON.parse(readFileSync(join(root, 'data.json'), 'utf8')) as unknown;
  const bundle = loadPolicyBundleSync({ wasm: compiled.wasm, data });

  it('finds the tests', () => {
    expect(tests.length).toBeGreaterThanOrEqual(90);
  });

  it.each(tests)('%s is true', (t) => {
    expect(bundle.evaluate(undefined, t)).toEqual([{ result: true }]);
  });
});
