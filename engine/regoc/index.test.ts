// compile() end to end: Rego -> wasm -> the real SDK through the policy loader.
import { describe, expect, it } from 'vitest';
import { ExternalError } from '../errors.ts';
import { loadPolicyBundleSync } from '../policy/loader.ts';
import { compile, type CompileOptions } from './index.ts';

function run(text: string, opts: CompileOptions, input?: unknown, data?: unknown): unknown {
  const r = compile([{ path: 'p.rego', text }], opts);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return loadPolicyBundleSync({ wasm: r.wasm, data }).evaluate(input, opts.entrypoints[0]);
}

const POLICY = `package certops
import rego.v1

allow if input.user == "admin"
allow if {
  some i
  input.roles[i] == "ops"
}
names contains n if {
  data.hosts[n].enabled == true
}
count_ok := input.n + 1 if input.n >= 0
doubled := x if x := input.n * 2
denied if not allow
`;

describe('compile', () => {
  it('evaluates complete rules, partial sets, input and data refs, not', () => {
    const data = { hosts: { b: { enabled: true }, a: { enabled: true }, c: { enabled: false } } };
    const ep = (e: string, input?: unknown): unknown =>
      run(POLICY, { entrypoints: [e] }, input, data);
    expect(ep('certops/allow', { user: 'admin' })).toEqual([{ result: true }]);
    expect(ep('certops/allow', { user: 'x', roles: ['dev', 'ops'] })).toEqual([{ result: true }]);
    expect(ep('certops/allow', { user: 'x', roles: ['dev'] })).toEqual([]);
    expect(ep('certops/allow')).toEqual([]);
    expect(ep('certops/denied', { user: 'x' })).toEqual([{ result: true }]);
    expect(ep('certops/denied', { user: 'admin' })).toEqual([]);
    expect(ep('certops/names', {})).toEqual([{ result: ['a', 'b'] }]);
    expect(ep('certops/count_ok', { n: 41 })).toEqual([{ result: 42 }]);
    expect(ep('certops/count_ok', { n: -1 })).toEqual([]);
    expect(ep('certops/doubled', { n: 2 ** 40 })).toEqual([{ result: 2 ** 41 }]);
  });

  it('raises the conflict error when a complete rule has two values', () => {
    const text = 'package t\nimport rego.v1\np := x if { some x in [1, 2] }\n';
    const conflict = 'package t\nimport rego.v1\np := input.a if true\np := input.b if true\n';
    expect(() => run(text, { entrypoints: ['t/p'] }, {})).toThrow(/eval_conflict_error/);
    expect(run(conflict, { entrypoints: ['t/p'] }, { a: 1, b: 1 })).toEqual([{ result: 1 }]);
    expect(() => run(conflict, { entrypoints: ['t/p'] }, { a: 1, b: 2 })).toThrow(
      /eval_conflict_error: complete rules must not produce multiple outputs/,
    );
  });

  it('runs else chains (first branch that yields) and constant defaults', () => {
    const text = `package t
import rego.v1
default level := "none"
level := "high" if input.n > 10
else := "low" if input.n > 0
`;
    const ep = (input: unknown): unknown => run(text, { entrypoints: ['t/level'] }, input);
    expect(ep({ n: 11 })).toEqual([{ result: 'high' }]);
    expect(ep({ n: 1 })).toEqual([{ result: 'low' }]);
    expect(ep({ n: -1 })).toEqual([{ result: 'none' }]);
    // A rule evaluated inside a failing branch does not count as that branch yielding.
    const nested = 'package t\nimport rego.v1\nq if input.x\np := 1 if { q; input.y } else := 2\n';
    expect(run(nested, { entrypoints: ['t/p'] }, { x: true, y: false })).toEqual([{ result: 2 }]);
  });

  it('compiles a query into the "query" entrypoint with one row per solution', () => {
    const r = compile([{ path: 'p.rego', text: POLICY }], {
      entrypoints: [],
      query: 'x = input.roles[i]',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const bundle = loadPolicyBundleSync({ wasm: r.wasm });
    expect(bundle.evaluate({ roles: ['a', 'b'] }, 'query')).toEqual([
      { i: 0, x: 'a' },
      { i: 1, x: 'b' },
    ]);
    expect(r.manifest.wasm).toEqual([{ entrypoint: 'query', module: '/policy.wasm' }]);
  });

  it('returns located diagnostics instead of throwing', () => {
    const bad = compile([{ path: 'a.rego', text: 'package a\np := \n' }], { entrypoints: [] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.diagnostics[0]?.code).toBe('rego_parse_error');
    const unsup = compile([{ path: 'a.rego', text: 'package a\np := opa.runtime()\n' }], {
      entrypoints: ['a/p'],
    });
    expect(!unsup.ok && unsup.diagnostics[0]?.code).toBe('REGO_UNSUPPORTED');
    const noRule = compile([{ path: 'a.rego', text: 'package a\np := 1\n' }], {
      entrypoints: ['a/q'],
    });
    expect(!noRule.ok && noRule.diagnostics[0]?.code).toBe('REGO_ENTRYPOINT');
  });

  it('writes a manifest that never claims OPA', () => {
    const r = compile([{ path: 'p.rego', text: POLICY }], { entrypoints: ['certops/allow'] });
    if (!r.ok) throw new Error('compile failed');
    expect(r.manifest.roots).toEqual(['certops']);
    expect(r.manifest.metadata.compiler).toMatch(/^certops-regoc\//);
    expect(r.manifest.metadata.abi).toBe('1.2');
    expect(r.manifest.revision).toMatch(/^[0-9a-f]{64}$/);
    expect(() => run(POLICY, { entrypoints: ['certops/allow'] }, 0)).toThrow(ExternalError);
  });
});
