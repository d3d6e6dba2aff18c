import { describe, expect, it } from 'vitest';
import { mod, rules } from './test-helpers.ts';

describe('module structure', () => {
  it('parses package refs and imports', () => {
    const m = mod(
      'package a.b["c"]\nimport rego.v1\nimport future.keywords.in\nimport data.x as y\nimport input.z\n',
    );
    expect(m.package.path.name.name).toBe('a');
    expect(m.package.path.path.map((p) => p.type === 'string' && p.value)).toEqual(['b', 'c']);
    expect(m.imports.map((i) => i.alias)).toEqual([null, null, 'y', null]);
    expect(m.imports[3]?.path.name.name).toBe('input');
    expect(m.imports[0]?.location).toMatchObject({ line: 2, col: 1 });
  });
});

describe('rules', () => {
  it('parses complete rules in every spelling', () => {
    expect(rules('p := 1\nq = 2\nr if { x }\ns { x }\nt := 1 if x == 1')).toEqual([
      'p := 1',
      'q = 2',
      'r if { x }',
      's if { x }',
      't := 1 if { (x == 1) }',
    ]);
    const m = mod('package t\np := 1 if {\n  x\n}\ns { x }\n');
    expect(m.rules.map((r) => [r.head.kind, r.bodyStyle])).toEqual([
      ['single', 'if'],
      ['single', 'braces'],
    ]);
  });

  it('parses default rules, including functions and ref heads', () => {
    expect(rules('default p := false\ndefault f(_, _) := 1\ndefault p.q.r.f(x) := 100')).toEqual([
      'default p := false',
      'default f(_, _) := 1',
      'default p.q.r.f(x) := 100',
    ]);
  });

  it('parses partial sets, v1 and pre-1.0', () => {
    const m = mod('package t\np contains x if { x := 1 }\nq[x] { x := 1 }\nl contains 2\n');
    expect(m.rules.map((r) => [r.head.kind, r.head.legacySet, r.head.key?.type])).toEqual([
      ['multi', false, 'var'],
      ['multi', true, 'var'],
      ['multi', false, 'number'],
    ]);
    expect(m.rules[1]?.head.ref.path).toEqual([]);
  });

  it('parses partial objects and general ref heads', () => {
    expect(
      rules('p[k] := v if { k := 1; v := 2 }\na.b[c].d := 1 if c := 2\np[q][r] if q := ["a"][r]'),
    ).toEqual([
      'p[k] := v if { k := 1; v := 2 }',
      'a.b[c].d := 1 if { c := 2 }',
      'p[q][r] if { q := ["a"][r] }',
    ]);
    const m = mod('package t\np.q.r contains "foo"\n');
    expect(m.rules[0]?.head).toMatchObject({ kind: 'multi', ref: { name: { name: 'p' } } });
  });

  it('parses functions with several definitions', () => {
    const m = mod(
      'package t\nf(x) := y if { y := x }\nf(x) = y { y := x }\nfoo["bar"](x) := x + 1\ng([a, b]) := 1',
    );
    expect(m.rules.map((r) => r.head.kind)).toEqual([
      'function',
      'function',
      'function',
      'function',
    ]);
    expect(m.rules[3]?.head.args?.[0]?.type).toBe('array');
    expect(m.rules.map((r) => r.head.ref.name.name)).toEqual(['f', 'f', 'foo', 'g']);
  });

  it('parses else chains, with and without values and bodies', () => {
    const src =
      'p := 1 if {\n  false\n} else := 2 if {\n  true\n} else := 3\nf(x) if { x } else = false { true }';
    expect(rules(src)).toEqual([
      'p := 1 if { false } else := 2 if { true } else := 3',
      'f(x) if { x } else = false if { true }',
    ]);
    const m = mod(`package t\n${src}`);
    expect(m.rules[0]?.elses.map((e) => e.location.line)).toEqual([4, 6]);
  });
});
