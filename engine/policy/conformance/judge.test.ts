import { describe, expect, it } from 'vitest';
import type { Bindings, ConformanceCase } from './cases.ts';
import { judge, sameResultSet, type Outcome } from './judge.ts';
import { compareValues, showValue } from './values.ts';

type Exp = Pick<ConformanceCase, 'wantResult' | 'wantError' | 'wantErrorCode' | 'sortBindings'>;
const want = (wantResult: Bindings[] | undefined, more: Partial<Exp> = {}): Exp => ({
  wantResult,
  wantError: undefined,
  wantErrorCode: undefined,
  sortBindings: false,
  ...more,
});
const res = (...bindings: Bindings[]): Outcome => ({ kind: 'result', bindings });
const err = (message: string, code?: string): Outcome =>
  code === undefined ? { kind: 'error', message } : { kind: 'error', message, code };
const status = (e: Exp, o: Outcome): string => judge(e, o).status;

describe('judge: results', () => {
  it('passes equal result sets regardless of solution order', () => {
    expect(status(want([{ x: 1 }, { x: 2 }]), res({ x: 2 }, { x: 1 }))).toBe('pass');
  });
  it('compares numbers by value: 1 == 1.0 == 1n, big integers exactly', () => {
    expect(status(want([{ x: 1n }]), res({ x: 1.0 }))).toBe('pass');
    expect(status(want([{ x: 123456789123456789123n }]), res({ x: 123456789123456789123n }))).toBe(
      'pass',
    );
    expect(status(want([{ x: 123456789123456789123n }]), res({ x: 123456789123456789124n }))).toBe(
      'wrong',
    );
    expect(status(want([{ x: 66.66667 }]), res({ x: 66.66667 }))).toBe('pass');
    expect(status(want([{ x: 1 }]), res({ x: 1.5 }))).toBe('wrong');
  });
  it('distinguishes strings from numbers', () => {
    expect(status(want([{ x: '1' }]), res({ x: 1 }))).toBe('wrong');
  });
  it('treats result sets as sets: duplicates collapse', () => {
    expect(status(want([{ x: 1 }]), res({ x: 1 }, { x: 1.0 }))).toBe('pass');
  });
  it('compares nested values deeply, object key order irrelevant', () => {
    const v = { a: [1, { b: null, c: true }], d: 'e' };
    expect(status(want([{ x: v }]), res({ x: { d: 'e', a: [1.0, { c: true, b: null }] } }))).toBe(
      'pass',
    );
    expect(status(want([{ x: v }]), res({ x: { d: 'e', a: [{ c: true, b: null }, 1] } }))).toBe(
      'wrong',
    );
  });
  it('undefined: want [] passes only with no solutions', () => {
    expect(status(want([]), res())).toBe('pass');
    expect(status(want([]), res({}))).toBe('wrong');
    expect(status(want([{}]), res({}))).toBe('pass');
    expect(status(want([{ x: 1 }]), res())).toBe('wrong');
  });
  it('extra or missing bindings are wrong', () => {
    expect(status(want([{ x: 1 }]), res({ x: 1, y: 2 }))).toBe('wrong');
    expect(status(want([{ x: 1 }, { x: 2 }]), res({ x: 1 }))).toBe('wrong');
  });
  it('wrong verdicts explain themselves', () => {
    expect(judge(want([{ x: 1n }]), res({ x: 2 })).reason).toBe('result [{"x":2}], want [{"x":1}]');
  });
});

describe('judge: sort_bindings', () => {
  const sorted = (w: Bindings[], o: Outcome): string => status(want(w, { sortBindings: true }), o);
  it('sorts actual array bindings before comparing', () => {
    expect(sorted([{ x: [1, 2, 3] }], res({ x: [3, 1, 2] }))).toBe('pass');
    expect(sorted([{ x: [[2, 3]] }], res({ x: [[2, 3]] }))).toBe('pass');
  });
  it('does not sort inside elements', () => {
    expect(sorted([{ x: [[2, 3]] }], res({ x: [[3, 2]] }))).toBe('wrong');
  });
  it('uses OPA order across kinds: null < bool < number < string < array < object', () => {
    const w = [{ x: [null, false, true, 1, 'a', [1], { a: 1 }] }];
    expect(sorted(w, res({ x: [{ a: 1 }, [1], 'a', 1, true, false, null] }))).toBe('pass');
  });
  it('without sort_bindings array order matters', () => {
    expect(status(want([{ x: [1, 2] }]), res({ x: [2, 1] }))).toBe('wrong');
  });
  it('a non-array binding under sort_bindings is wrong (OPA would fail the case)', () => {
    expect(judge(want([{ x: 1 }], { sortBindings: true }), res({ x: 1 })).reason).toMatch(
      /not an array/,
    );
  });
});

describe('judge: errors', () => {
  it('want_error is a substring match', () => {
    const e = want(undefined, { wantError: 'divide by zero' });
    expect(status(e, err('test-0.rego:4: eval_builtin_error: div: divide by zero'))).toBe('pass');
    expect(status(e, err('something else'))).toBe('wrong');
    expect(status(e, res({ x: 1 }))).toBe('wrong');
    expect(status(e, res())).toBe('wrong');
  });
  it('an empty want_error accepts any error text', () => {
    expect(status(want(undefined, { wantError: '' }), err('anything'))).toBe('pass');
  });
  it('want_error_code must match exactly', () => {
    const e = want(undefined, { wantErrorCode: 'eval_conflict_error' });
    expect(status(e, err('x', 'eval_conflict_error'))).toBe('pass');
    expect(status(e, err('x', 'eval_conflict'))).toBe('wrong');
    expect(status(e, err('eval_conflict_error'))).toBe('wrong');
  });
  it('both want_error and want_error_code must hold', () => {
    const e = want(undefined, { wantErrorCode: 'eval_type_error', wantError: 'operand 2' });
    expect(status(e, err('f: operand 2 must be set', 'eval_type_error'))).toBe('pass');
    expect(status(e, err('f: operand 1 must be set', 'eval_type_error'))).toBe('wrong');
  });
  it('an unexpected error is wrong', () => {
    expect(judge(want([]), err('boom')).reason).toBe('unexpected error: boom');
  });
  it('an error with want_result as well counts as no solutions', () => {
    expect(status(want([], { wantError: '' }), err('x'))).toBe('pass');
    expect(status(want([{ x: 1 }], { wantError: '' }), err('x'))).toBe('wrong');
  });
  it('a case without any expectation is wrong', () => {
    expect(status(want(undefined), res())).toBe('wrong');
  });
});

describe('judge: unsupported', () => {
  it('is never pass nor wrong, and keeps the location', () => {
    const v = judge(want([{ x: 1 }]), {
      kind: 'unsupported',
      reason: 'REGO_UNSUPPORTED with on a function',
      location: 'test-0.rego:3:5',
    });
    expect(v).toEqual({
      status: 'unsupported',
      reason: 'test-0.rego:3:5: REGO_UNSUPPORTED with on a function',
    });
    expect(status(want(undefined, { wantError: '' }), { kind: 'unsupported', reason: 'r' })).toBe(
      'unsupported',
    );
  });
});

describe('values', () => {
  it('orders strings by code point (UTF-8 byte order), not UTF-16 units', () => {
    expect(compareValues('\u{1F600}', '\uFFFF')).toBe(1);
    expect(compareValues('a', 'ab')).toBe(-1);
  });
  it('orders objects by sorted keys, then values, then size', () => {
    expect(compareValues({ a: 1 }, { b: 0 })).toBe(-1);
    expect(compareValues({ a: 1 }, { a: 2 })).toBe(-1);
    expect(compareValues({ a: 1 }, { a: 1, b: 1 })).toBe(-1);
  });
  it('sameResultSet is symmetric', () => {
    expect(sameResultSet([{ x: 1 }], [{ x: 1n }])).toBe(true);
    expect(sameResultSet([{ x: 1n }], [{ x: 1 }])).toBe(true);
  });
  it('shows bigints as digits', () => {
    expect(showValue({ a: 12n, b: '12n' })).toBe('{"a":12,"b":"12n"}');
  });
});
