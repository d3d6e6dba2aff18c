import { describe, expect, it } from 'vitest';
import { locate } from './positions.ts';

const text = `apiVersion: certops/v1
kind: Certificate
metadata:
  name: web
spec:
  dnsNames:
    - a.example.com
    - b.example.com
  deploy: [{ target: files }]
---
kind: Second
`;

describe('locate', () => {
  it('finds values and keys by path', () => {
    expect(locate(text, 0, ['metadata', 'name'])).toEqual({ line: 4, col: 9, exact: true });
    expect(locate(text, 0, ['metadata', 'name'], 'key')).toEqual({ line: 4, col: 3, exact: true });
    expect(locate(text, 0, ['spec', 'dnsNames', 1])).toEqual({ line: 8, col: 7, exact: true });
    expect(locate(text, 0, ['spec', 'deploy', 0, 'target'])).toEqual({
      line: 9,
      col: 22,
      exact: true,
    });
    expect(locate(text, 1, ['kind'])).toEqual({ line: 11, col: 7, exact: true });
  });

  it('falls back to the nearest written ancestor', () => {
    expect(locate(text, 0, ['spec', 'issuer'])).toEqual({ line: 5, col: 1, exact: false });
    expect(locate(text, 0, ['spec', 'dnsNames', 7])).toEqual({ line: 6, col: 3, exact: false });
  });
});
