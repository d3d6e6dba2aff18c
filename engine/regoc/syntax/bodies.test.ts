import { describe, expect, it } from 'vitest';
import { parseQuery } from './parser.ts';
import { q, query } from './test-helpers.ts';

describe('queries and literals', () => {
  it('separates literals by ";" and newlines, but not inside brackets', () => {
    expect(query('a; b\nc').literals).toHaveLength(3);
    expect(q('f(1,\n  2)\nx')).toBe('f(1, 2); x');
  });

  it('parses :=, =, not and with modifiers', () => {
    expect(q('not x = 1')).toBe('not x = 1');
    expect(q('y := data.a with input as {"a": 1} with data.b as 2')).toBe(
      'y := data.a with input as {"a": 1} with data.b as 2',
    );
    const lit = query('not p with input.x as 1').literals[0];
    expect(lit).toMatchObject({
      negated: true,
      with: [{ target: { type: 'ref' }, value: { type: 'number' } }],
    });
  });

  it('parses some declarations and some … in', () => {
    expect(query('some x, y').literals[0]?.expr).toMatchObject({
      type: 'some',
      vars: [{ name: 'x' }, { name: 'y' }],
    });
    expect(query('some x in xs').literals[0]?.expr).toMatchObject({
      type: 'somein',
      key: null,
      value: { name: 'x' },
    });
    expect(q('some k, v in input.obj')).toBe('some k, v in input.obj');
    expect(q('some [a, b] in pairs')).toBe('some [a, b] in pairs');
  });

  it('parses every with one or two variables, and with modifiers after it', () => {
    expect(q('every k, v in [1, 2] { k + 1 == v }')).toBe(
      'every k, v in [1, 2] { ((k + 1) == v) }',
    );
    expect(q('every v in input { v == 1 } with input as [1]')).toBe(
      'every v in input { (v == 1) } with input as [1]',
    );
    expect(q('every x in a | b {\n  x > 1\n  x < 9\n}')).toBe(
      'every x in (a | b) { (x > 1); (x < 9) }',
    );
  });

  it('reports errors with the opening location', () => {
    const r = parseQuery('x := [1, 2', { file: 'q.rego' });
    expect(!r.ok && r.errors[0]?.message).toBe(
      'q.rego:1:11: expected "]" to close the array started at 1:6, found end of file',
    );
    const s = parseQuery('some 1', { file: 'q.rego' });
    expect(!s.ok && s.errors[0]?.detail).toBe('expected a variable in "some" declaration');
    const t = parseQuery('a b', { file: 'q.rego' });
    expect(!t.ok && t.errors[0]?.detail).toContain('expected ";" or a newline');
    const u = parseQuery('', { file: 'q.rego' });
    expect(!u.ok && u.errors[0]?.detail).toBe('empty query');
  });

  it('refuses unary minus on non-literals as unsupported', () => {
    const r = parseQuery('x := -y');
    expect(!r.ok && r.errors[0]).toMatchObject({
      code: 'REGO_UNSUPPORTED',
      location: { line: 1, col: 6 },
    });
  });
});
