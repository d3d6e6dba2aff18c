// compile() end to end for ref-head rules and documents over packages of rules: the rule trees
// that `p[q].r := v`, `p.a.r := v` and `p[q] contains x` build, their conflicts, and the object
// a ref such as `data.t` or `data.t[k]` sees (base data merged with every rule below it).
// Results come from the real SDK; what regoc cannot reproduce stops as unsupported.
import { describe, expect, it } from 'vitest';
import { loadPolicyBundleSync } from '../policy/loader.ts';
import { compile } from './index.ts';

function run(modules: string[], query: string, opts: { input?: unknown; data?: unknown } = {}) {
  const r = compile(
    modules.map((m, i) => ({ path: `m${i}.rego`, text: `${m}\n` })),
    { entrypoints: [], query },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const bundle = loadPolicyBundleSync({ wasm: r.wasm, data: opts.data });
  return bundle.evaluate(opts.input, 'query');
}

const pkg = (body: string): string => `package t\nimport rego.v1\n${body}`;

describe('ref-head rules', () => {
  it('p[q].r := i builds a nested object', () => {
    expect(run([pkg('p[q].r := i if q := ["a", "b"][i]')], 'data.t.p = x')).toEqual([
      { x: { a: { r: 0 }, b: { r: 1 } } },
    ]);
  });
  it('rules at different depths merge; an equal value at one key is no conflict', () => {
    const m = pkg('p[q].r.s := i if q := ["a", "b"][i]\np.a.r.s := 0\np.d.r := 3\np.e := 4');
    expect(run([m], 'data.t.p = x')).toEqual([
      { x: { a: { r: { s: 0 } }, b: { r: { s: 1 } }, d: { r: 3 }, e: 4 } },
    ]);
  });
  it('set leaves collect members from every rule', () => {
    const m = pkg('p[q] contains r if { q := ["a", "b"][_]; r := ["a", "b"][_]; q != r }');
    const out = run([`${m}\np.b contains "z"`], 'data.t.p = x');
    expect(out).toEqual([{ x: { a: ['b'], b: ['a', 'z'] } }]);
  });
  it('queries go into the tree and iterate it', () => {
    const m = pkg('p.q[r].s := 1 if r := "foo"\np.q[r].s := 2 if r := "bar"');
    expect(run([m], 'data.t.p.q[i].s = x')).toEqual([
      { i: 'bar', x: 2 },
      { i: 'foo', x: 1 },
    ]);
  });
  it('head terms may be refs to input and to other rules', () => {
    const m = pkg('a := ["u", "v"]\np[input.k][a[i]] := i if some i, _ in a');
    expect(run([m], 'data.t.p = x', { input: { k: 'z' } })).toEqual([{ x: { z: { u: 0, v: 1 } } }]);
  });
  it.each([
    ['two values for one key', 'p[q].r := i if q := ["a", "a"][i]'],
    ['a value where the tree has a node', 'p[q].r.s := 1 if q := "a"\np.a.r := 2'],
    ['a path into a rule value', 'p[q].r := {"s": 1} if q := "a"\np.a.r.t := 2'],
  ])('conflict: %s', (_what, body) => {
    expect(() => run([pkg(body)], 'data.t.p = x')).toThrow(/regoc:eval_conflict_error/);
  });
});

describe('documents over packages of rules', () => {
  const lib = pkg(
    'x := 1\nundefined_rule if false\nf(a) := a\ns contains 2\nsub.deep.v := 3\nsub.g(y) := y',
  );
  it('merge base data and every rule value; functions and undefined rules are absent', () => {
    expect(run([lib], 'data.t = x', { data: { t: { base: true } } })).toEqual([
      { x: { base: true, s: [2], sub: { deep: { v: 3 } }, x: 1 } },
    ]);
  });
  it('iterate with a variable step, and look a bound key up', () => {
    const rows = run([lib], 'data.t[k] = v', { data: { t: { base: true } } });
    expect(rows).toHaveLength(4);
    expect(run([lib, 'package u\np := data.t[k] if k := "x"'], 'data.u.p = x')).toEqual([{ x: 1 }]);
  });
  it('a sub-package is no name inside its parent package', () => {
    const sub = 'package t.l1\nimport rego.v1\nq := 1';
    expect(run([pkg('p := l1 if l1 = 5'), sub], 'data.t = y')).toEqual([
      { y: { l1: { q: 1 }, p: 5 } },
    ]);
  });
  it('a function argument shadows a rule of the same name', () => {
    const m = pkg('foo["bar"](x) := x + 1\nx := foo.bar(2)');
    expect(run([m], 'data.t = y')).toEqual([{ y: { foo: {}, x: 3 } }]);
  });
  it('a default function with a static ref head', () => {
    const m = pkg('default p.q.f(_) := 100\np.q.f(x) := x if x == 2\nr := [p.q.f(2), p.q.f(3)]');
    expect(run([m], 'data.t = y')).toEqual([{ y: { p: { q: {} }, r: [2, 100] } }]);
  });
  it('base data objects merge into the nodes that rules share', () => {
    const data = { t: { sub: { w: 0, deep: { u: 1 } } } };
    expect(run([lib], 'data.t.sub = x', { data })).toEqual([{ x: { w: 0, deep: { u: 1, v: 3 } } }]);
  });
  it('a rule and base data at one path stop as unsupported', () => {
    expect(() => run([lib], 'data.t = x', { data: { t: { x: 1 } } })).toThrow(
      /regoc:unsupported: rules and base data at one path/,
    );
  });
  it('a query into a tree with rules below sees only the tree and that key', () => {
    // p.b.v's conflict is outside data.t.p.a, so it is not evaluated there.
    const m = pkg('p[q].r := 1 if q := "a"\np.a.s := 2\np.b.v := 1 if true\np.b.v := 2 if true');
    expect(run([m], 'data.t.p.a = x')).toEqual([{ x: { r: 1, s: 2 } }]);
    expect(() => run([m], 'data.t.p = x')).toThrow(/regoc:eval_conflict_error/);
  });
});

describe('default rules with a non-constant value', () => {
  it('the value is computed only when no definition yields', () => {
    const m = pkg('default p := [x | some x in input.xs]\np := 1 if input.one');
    expect(run([m], 'data.t.p = x', { input: { xs: [2, 3] } })).toEqual([{ x: [2, 3] }]);
    expect(run([m], 'data.t.p = x', { input: { xs: [2], one: true } })).toEqual([{ x: 1 }]);
  });
  it('a definition whose value is undefined does not count as yielding', () => {
    const m = pkg('default p := {"d": input.d}\np := input.v if true');
    expect(run([m], 'data.t.p = x', { input: { d: 4 } })).toEqual([{ x: { d: 4 } }]);
  });
});

describe('refused at compile time', () => {
  function refused(body: string): string {
    const text = `package t\nimport rego.v1\n${body}\n`;
    const r = compile([{ path: 'p.rego', text }], { entrypoints: [], query: 'data.t = x' });
    if (r.ok) throw new Error('expected REGO_UNSUPPORTED');
    const d = r.diagnostics[0];
    return `${d?.code} ${d?.location?.line}:${d?.location?.col} ${d?.message}`;
  }
  it.each([
    [
      'p := 1\np.q := 2',
      'REGO_UNSUPPORTED 3:1 unsupported: rules below the complete rule data.t.p',
    ],
    ['p["a.b"] := 1', "REGO_UNSUPPORTED 3:1 unsupported: rule paths with '.' in a key"],
    [
      'p[x] := 1 if x := "a" else := 2',
      'REGO_UNSUPPORTED 3:1 unsupported: rule with both else and a ref head with variables',
    ],
  ])('%s', (body, want) => {
    expect(refused(body)).toBe(want);
  });
});

describe('entrypoints that name a package', () => {
  it('evaluate to the document there, through the SDK', () => {
    const text = `${pkg('p[q].r := 1 if q := input.k\np.a.s := 2\nf(x) := x')}\n`;
    const r = compile([{ path: 'p.rego', text }], { entrypoints: ['t', 't/p'] });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const bundle = loadPolicyBundleSync({ wasm: r.wasm, data: { t: { d: 0 } } });
    expect(Object.keys(bundle.entrypoints).sort()).toEqual(['t', 't/p']);
    const p = { a: { s: 2 }, b: { r: 1 } };
    expect(bundle.evaluate({ k: 'b' }, 't')).toEqual([{ result: { d: 0, p } }]);
    expect(bundle.evaluate({ k: 'b' }, 't/p')).toEqual([{ result: p }]);
  });
});
