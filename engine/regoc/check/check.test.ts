import { describe, expect, it } from 'vitest';
import { mod, query } from '../syntax/test-helpers.ts';
import { check } from './check.ts';
import { formatCheckDiagnostic } from './diagnostics.ts';

const errs = (src: string, q?: string): string[] =>
  check([mod(`package t\n${src}`)], q === undefined ? undefined : query(q)).diagnostics.map(
    formatCheckDiagnostic,
  );

describe('check: safety', () => {
  it('accepts bound vars, in any literal order', () => {
    expect(errs('p if {\n  y > 1\n  y := 2\n}')).toEqual([]);
    expect(errs('q contains x if { data.a[x] = v; v > 1 }')).toEqual([]);
    expect(errs('p := x if { count([1], x) }')).toEqual([]);
    expect(errs('p := [x | some x in [1]]')).toEqual([]);
    expect(errs('f(a) := b if { b := a + 1 }')).toEqual([]);
    expect(errs('p if { [1, x] = [y, 2]; x = y }')).toEqual([]);
  });
  it('reports unsafe vars with their location', () => {
    expect(errs('p if { x > 1 }')).toEqual([
      'policy.rego:2:8: rego_unsafe_var_error: var x is unsafe',
    ]);
    expect(errs('p := y if { true }')).toEqual([
      'policy.rego:2:6: rego_unsafe_var_error: var y is unsafe',
    ]);
    expect(errs('p if { x = y }')).toHaveLength(2);
  });
  it('negation binds nothing, and refs under not must be ground', () => {
    expect(errs('q contains 1\np if { not q[x] }')).toEqual([
      'policy.rego:3:14: rego_unsafe_var_error: var x is unsafe',
    ]);
    expect(errs('q contains 1\np if { x := 1; not q[x] }')).toEqual([]);
  });
  it('checks the query; rule names and imports are globals', () => {
    expect(errs('p := 1', 'data.t.p = x')).toEqual([]);
    expect(errs('p := 1', 'x > 1')).toHaveLength(1);
    expect(check([mod('package t\nimport data.a.b as c\np if { c.d }')]).ok).toBe(true);
  });
  it('checks comprehension heads against their own bodies', () => {
    expect(errs('p := [y | x := 1]')).toEqual([
      'policy.rego:2:7: rego_unsafe_var_error: var y is unsafe',
    ]);
  });
});

describe('check: calls', () => {
  it('rejects unknown builtins and arity mismatches with locations', () => {
    expect(errs('p if { nope(1) }')).toEqual([
      'policy.rego:2:8: rego_type_error: undefined function nope',
    ]);
    expect(errs('p if { startswith("a") }')).toEqual([
      'policy.rego:2:8: rego_type_error: startswith: arity mismatch: have 1 arguments, want 2',
    ]);
  });
  it('resolves user functions by name and by data path', () => {
    expect(errs('f(x) := x\np := f(1)\nq := data.t.f(2)')).toEqual([]);
    expect(errs('p := data.t.g(1)')).toEqual([
      'policy.rego:2:6: rego_type_error: undefined function data.t.g',
    ]);
  });
  it('marks unsupported builtins REGO_UNSUPPORTED', () => {
    expect(errs('p if { print(1) }')[0]).toMatch(/REGO_UNSUPPORTED: unsupported: builtin print/);
  });
});

describe('check: rule tree', () => {
  it('classifies rule kinds by path', () => {
    const r = check([
      mod('package a.b\np := 1\ns contains 1\no[k] := 1 if k := "x"\nf(x) := x\nr.s.t := 1'),
    ]);
    const kinds = Object.fromEntries([...r.resolution.rules].map(([k, v]) => [k, v[0]?.kind]));
    expect(kinds).toEqual({
      'a.b.p': 'complete',
      'a.b.s': 'set',
      'a.b.o': 'object',
      'a.b.f': 'function',
      'a.b.r.s.t': 'complete',
    });
  });
  it('reports conflicting kinds and multiple defaults', () => {
    expect(errs('p := 1\np contains 2')).toEqual([
      'policy.rego:2:1: rego_type_error: conflicting rules data.t.p found',
    ]);
    expect(errs('f(x) := 1\nf(x, y) := 2')[0]).toMatch(/conflicting rules data.t.f/);
    expect(errs('default p := 1\ndefault p := 2')).toEqual([
      'policy.rego:3:1: rego_type_error: multiple default rules data.t.p found',
    ]);
  });
  it('merges packages across modules', () => {
    const r = check([mod('package x\np := 1'), mod('package x\nq := p')]);
    expect(r.ok).toBe(true);
  });
});
