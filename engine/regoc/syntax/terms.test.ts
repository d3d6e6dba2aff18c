import { describe, expect, it } from 'vitest';
import type { AssignExpr, CallTerm, RefTerm } from './ast.ts';
import { q, query } from './test-helpers.ts';

describe('terms and expressions', () => {
  it('parses scalars, keeping number text and folding a sign', () => {
    expect(q('x := [1, -2, 1.5e3, 123456789123456789123, "s", `r`, true, false, null]')).toBe(
      'x := [1, -2, 1.5e3, 123456789123456789123, "s", "r", true, false, null]',
    );
  });

  it('parses refs with dot and bracket steps', () => {
    const lit = query('input.a[i].b = data.x[_]').literals[0];
    const e = lit?.expr as AssignExpr;
    expect(e.op).toBe('=');
    const left = e.left as RefTerm;
    expect(left.type).toBe('ref');
    expect(left.head).toMatchObject({ type: 'var', name: 'input' });
    expect(left.path.map((p) => p.type)).toEqual(['string', 'var', 'string']);
    expect(left.path[0]).toMatchObject({ value: 'a', dot: true });
    expect(q('x := ["a", "b"][i]')).toBe('x := ["a", "b"][i]');
    expect(q('__local0__ = {"a": 1}.a')).toBe('__local0__ = {"a": 1}.a');
  });

  it('parses calls, dotted builtin names and output arguments', () => {
    const call = (query('time.parse_rfc3339_ns(s, ns)').literals[0]?.expr as { term: CallTerm })
      .term;
    expect(call.type).toBe('call');
    expect(call.callee.type).toBe('ref');
    expect(call.args).toHaveLength(2);
    expect(q('count(x, n)')).toBe('count(x, n)');
    expect(q('contains("abc", "b")')).toBe('contains("abc", "b")');
    expect(q('data.p.f(1)')).toBe('data.p.f(1)');
    expect(q('x := f(1)[0]')).toBe('x := f(1)[0]');
  });

  it('applies precedence: factor > arith > & > | > relation > in', () => {
    expect(q('x := 1 + 2 * 3 - 4 / 2 % 3')).toBe('x := ((1 + (2 * 3)) - ((4 / 2) % 3))');
    expect(q('a | b & c == d')).toBe('((a | (b & c)) == d)');
    expect(q('x + 1 < y - 1')).toBe('((x + 1) < (y - 1))');
    expect(q('not k.size in {256, 384}')).toBe('not (k.size in {256, 384})');
    expect(q('{1} - 1')).toBe('({1} - 1)');
    expect(q('x := (1 + 2) * 3')).toBe('x := ((1 + 2) * 3)');
  });

  it('parses collections: sets, objects, empty {} and set()', () => {
    expect(query('x := {}').literals[0]?.expr).toMatchObject({
      right: { type: 'object', entries: [] },
    });
    expect(query('x := set()').literals[0]?.expr).toMatchObject({
      right: { type: 'set', items: [] },
    });
    expect(q('x := {1, 2,}')).toBe('x := {1, 2}');
    expect(q('x := {1: 2, {3: 4}: 5}')).toBe('x := {1: 2, {3: 4}: 5}');
    expect(q('x := [\n  1,\n  2\n]')).toBe('x := [1, 2]');
  });

  it('parses comprehensions with multi-literal bodies', () => {
    expect(q('a := [x | x := input.x[_]]')).toBe('a := [x | x := input.x[_]]');
    expect(q('a := {x | x = data.a[_]; x > 1}')).toBe('a := {x | x = data.a[_]; (x > 1)}');
    expect(q('a := {k: v | some k, v in o\n  v > 0}')).toBe(
      'a := {k: v | some k, v in o; (v > 0)}',
    );
    expect(query('a := {x | x = 1}').literals[0]?.expr).toMatchObject({
      right: { type: 'setcomp' },
    });
    expect(query('a := {k: 1 | k = 1}').literals[0]?.expr).toMatchObject({
      right: { type: 'objectcomp' },
    });
  });

  it('puts a location on nested nodes', () => {
    const e = query('x := 1\n  y := [1, z]').literals[1]?.expr as AssignExpr;
    expect(e.location).toMatchObject({ line: 2, col: 3 });
    expect(e.right.type === 'array' && e.right.items[1]?.location).toMatchObject({
      line: 2,
      col: 12,
    });
  });
});
