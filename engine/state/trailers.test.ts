import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { operationUpdateProblem } from './journal-rules.ts';
import { assertBranchName, isSafeName } from './names.ts';
import { operation } from './testing.ts';
import { formatMessage, parseMessage } from './trailers.ts';

describe('commit messages', () => {
  it('formats trailers after a blank line and parses them back', () => {
    const text = formatMessage('issue web\n\nbecause it expires', {
      'Certops-Operation': 'op-1',
      'Certops-Step': 'issued',
    });
    expect(text).toBe(
      'issue web\n\nbecause it expires\n\nCertops-Operation: op-1\nCertops-Step: issued\n',
    );
    expect(parseMessage(text)).toEqual({
      message: 'issue web\n\nbecause it expires',
      trailers: { 'Certops-Operation': 'op-1', 'Certops-Step': 'issued' },
    });
  });

  it('does not mistake a lone subject or prose for trailers', () => {
    expect(parseMessage('Fix: something\n')).toEqual({ message: 'Fix: something', trailers: {} });
    expect(parseMessage('a\n\nnot a trailer line\n').trailers).toEqual({});
  });

  it('refuses bad keys, multi-line values and empty messages', () => {
    expect(() => formatMessage('m', { 'a b': 'v' })).toThrow(/trailer key/);
    expect(() => formatMessage('m', { K: 'v\r' })).toThrow(/single-line/);
    expect(() => formatMessage(' \n', {})).toThrow(/empty/);
  });
});

describe('names and serialisation', () => {
  it('accepts only plain lower-case file names', () => {
    expect(['web', 'op-20300102.1', 'a_b'].every(isSafeName)).toBe(true);
    expect(['', '.x', '-x', 'A', 'a/b', '../a', 'a b', 'x'.repeat(201)].some(isSafeName)).toBe(
      false,
    );
    expect(() => assertBranchName('certops/state')).not.toThrow();
    for (const bad of ['', 'a..b', '/a', 'a/', 'a.lock', '.a', 'a b']) {
      expect(() => assertBranchName(bad)).toThrow(/not a valid branch name/);
    }
  });

  it('sorts keys at every level and ends with a newline', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe(
      '{\n  "a": {\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });
});

describe('journal rules', () => {
  const started = operation('op-1', 'web', ['started']);
  it('allows appending events and refuses rewriting them', () => {
    expect(
      operationUpdateProblem(started, operation('op-1', 'web', ['started', 'issued'])),
    ).toBeNull();
    expect(operationUpdateProblem(started, operation('op-1', 'web', []))).toMatch(/drops events/);
    expect(operationUpdateProblem(started, operation('op-1', 'api', ['started']))).toMatch(
      /changes its certificate/,
    );
  });
  it('requires closed to match the events', () => {
    expect(operationUpdateProblem(undefined, { ...started, closed: true })).toMatch(
      /marked closed/,
    );
  });
});
