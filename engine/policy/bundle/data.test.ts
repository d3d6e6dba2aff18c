import { describe, expect, it } from 'vitest';
import { mergeDataFiles, type DataFile } from './data.ts';

const f = (path: string, text: string): DataFile => ({ path, text, file: `policies/${path}` });

describe('mergeDataFiles (OPA bundle data rules)', () => {
  it('puts x/y/data.json under data.x.y and merges objects key by key', () => {
    const r = mergeDataFiles([
      f('certops/zones/data.json', '{"payments": ["a.example"]}'),
      f('data.json', '{"certops": {"config": {"n": 1}}}'),
      f('lists/data.json', '[1, 2]'),
    ]);
    expect(r).toEqual({
      ok: true,
      data: {
        certops: { config: { n: 1 }, zones: { payments: ['a.example'] } },
        lists: [1, 2],
      },
    });
  });

  it('reports a value set twice, naming both files', () => {
    const r = mergeDataFiles([
      f('data.json', '{"certops": {"zones": {"payments": []}}}'),
      f('certops/zones/data.json', '{"payments": ["b"]}'),
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0]).toMatchObject({
      code: 'policy-data',
      file: 'policies/data.json',
      path: 'certops.zones.payments',
    });
    expect(r.diagnostics[0]?.message).toContain('already set by policies/certops/zones/data.json');
  });

  it('reports invalid JSON and a root that is not an object', () => {
    const r = mergeDataFiles([f('data.json', '[1]'), f('x/data.json', '{')]);
    expect(r.ok ? [] : r.diagnostics.map((d) => d.file)).toEqual([
      'policies/data.json',
      'policies/x/data.json',
    ]);
  });
});
