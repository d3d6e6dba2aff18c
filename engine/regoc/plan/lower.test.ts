import { describe, expect, it } from 'vitest';
import { check } from '../check/check.ts';
import { mod, query } from '../syntax/test-helpers.ts';
import { lowerPlan } from './lower.ts';
import { printPlan } from './print.ts';

function plan(src: string, q: string): string {
  const qq = query(q);
  const r = lowerPlan(check([mod(`package t\n${src}`)], qq).resolution, qq);
  if (!r.ok) throw new Error(r.message);
  return printPlan(r.plan);
}

function refused(src: string, q = 'data.t.p = x'): string {
  const qq = query(q);
  const r = lowerPlan(check([mod(`package t\n${src}`)], qq).resolution, qq);
  if (r.ok) throw new Error('expected REGO_UNSUPPORTED');
  return `${r.location.line}:${r.location.col} ${r.message}`;
}

describe('lowerPlan: core subset', () => {
  it('a constant complete rule and the query binding x', () => {
    expect(plan('p := 3', 'data.t.p = x').split('\n')).toEqual([
      'complete data.t.p:',
      '  body 0:',
      '    yield 3',
      'query:',
      '  r0 = rule data.t.p',
      '  r1 = r0',
      '  solution {x: r1}',
    ]);
  });
  it('a partial set over base data scans with the rest of the body inside', () => {
    expect(plan('q contains k if { data.a[k] = v; v > 1 }', 'data.t.q = x').split('\n')).toEqual([
      'set data.t.q:',
      '  body 0:',
      '    r0 = data',
      '    r1 = r0["a"]',
      '    scan r1 as r2, r3',
      '      r4 = r3',
      '      gt r4 1',
      '      yield r2',
      'query:',
      '  r0 = rule data.t.q',
      '  r1 = r0',
      '  solution {x: r1}',
    ]);
  });
  it('negation, :=, input refs and integer arithmetic', () => {
    const out = plan('q contains 1\np := y if { y := input.n + 1; not q[y] }', 'data.t.p = x');
    expect(out).toContain(
      [
        '    r0 = input',
        '    r1 = r0["n"]',
        '    r2 = plus r1 1',
        '    r3 = r2',
        '    not',
        '      r4 = rule data.t.q',
        '      r5 = r4[r3]',
        '      truthy r5',
        '    yield r3',
      ].join('\n'),
    );
  });
  it('`=` with both sides bound is an equality test; `p if` yields true', () => {
    const out = plan('p if { input.a = input.b }', 'data.t.p = x');
    expect(out).toContain('eq r1 r3\n    yield true');
  });
  it('a bare query ref iterates with unbound vars as bindings', () => {
    expect(plan('', 'data.a[i] = 1').split('\n')).toEqual([
      'query:',
      '  r0 = data',
      '  r1 = r0["a"]',
      '  scan r1 as r2, r3',
      '    eq r3 1',
      '    solution {i: r2}',
    ]);
  });
});

describe('lowerPlan: else and default', () => {
  it('an else branch is its own block, marked; the default is a constant', () => {
    expect(plan('default p := 0\np := 1 if input.a else := 2', 'data.t.p = x').split('\n')).toEqual(
      [
        'complete data.t.p:',
        '  default 0',
        '  body 0:',
        '    r0 = input',
        '    r1 = r0["a"]',
        '    truthy r1',
        '    yield 1',
        '  else body 1:',
        '    yield 2',
        'query:',
        '  r0 = rule data.t.p',
        '  r1 = r0',
        '  solution {x: r1}',
      ],
    );
  });
});

describe('lowerPlan: everything else is REGO_UNSUPPORTED with a location', () => {
  it.each([
    ['p := http.send({"a": 1})', '2:6 unsupported: function calls'],
    ['default f(_) := [x | x := 1]', '2:1 unsupported: default rules with a non-constant value'],
    ['p if q\nq if p', '2:1 unsupported: recursion through data.t.p'],
    ['p if { [a, b] = [b, a] }', '2:8 unsupported: unification patterns'],
    ['p if { input.a with count as 1 }', '2:16 unsupported: `with` on functions and builtins'],
    ['f(x) := x\np if { f(1) with data.t.f as 1 }', '3:13 unsupported: `with` on function rules'],
    ['q := 1\np if { input.a with data.t as 1 }', '3:16 unsupported: `with` on data holding rules'],
    ['p := opa.runtime()', '2:6 unsupported: function calls'],
    ['p if { y > 1; y := 2 }', '2:8 unsupported: var y used before it is bound (needs reordering)'],
  ])('%s', (src, want) => {
    expect(refused(src)).toBe(want);
  });
});
