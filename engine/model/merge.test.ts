import { describe, expect, it } from 'vitest';
import { mergeLayers, originOf, type Origins } from './merge.ts';
import type { Layer } from './object.ts';

const layer = (
  origin: Layer['origin'],
  value: Record<string, unknown>,
  file = `${origin}.yaml`,
): Layer => ({
  origin,
  source: { file, docIndex: 0, line: 1, col: 1 },
  base: [],
  value,
});

describe('mergeLayers', () => {
  it('merges objects key by key, later layers winning; lists replace whole', () => {
    const out = mergeLayers([
      layer('defaults', {
        metadata: { labels: { team: 'a', env: 'dev' } },
        spec: { dnsNames: ['a.com', 'b.com'], issuer: 'x' },
      }),
      layer('own', { metadata: { labels: { env: 'prod' } }, spec: { dnsNames: ['c.com'] } }),
    ]);
    expect(out).toEqual({
      metadata: { labels: { team: 'a', env: 'prod' } },
      spec: { dnsNames: ['c.com'], issuer: 'x' },
    });
  });

  it('choosing a key algorithm drops a size set for another algorithm below', () => {
    const out = mergeLayers([
      layer('profile', {
        spec: { privateKey: { algorithm: 'ECDSA', size: 384, rotation: 'reuse' } },
      }),
      layer('own', { spec: { privateKey: { algorithm: 'RSA' } } }),
    ]);
    expect(out).toEqual({ spec: { privateKey: { algorithm: 'RSA', rotation: 'reuse' } } });
    const same = mergeLayers([
      layer('own', { spec: { privateKey: { size: 2048, algorithm: 'RSA' } } }),
    ]);
    expect(same).toEqual({ spec: { privateKey: { size: 2048, algorithm: 'RSA' } } });
  });

  it('renewBefore and renewBeforePercentage replace each other across layers', () => {
    expect(
      mergeLayers([
        layer('profile', { spec: { renewBeforePercentage: 33 } }),
        layer('own', { spec: { renewBefore: '30d' } }),
      ]),
    ).toEqual({
      spec: { renewBefore: '30d' },
    });
    expect(
      mergeLayers([
        layer('profile', { spec: { renewBefore: '30d' } }),
        layer('own', { spec: { renewBeforePercentage: 20 } }),
      ]),
    ).toEqual({
      spec: { renewBeforePercentage: 20 },
    });
  });

  it('keeps __proto__ as a plain data key instead of changing prototypes', () => {
    const evil = JSON.parse('{"spec": {"__proto__": {"polluted": true}}}') as Record<
      string,
      unknown
    >;
    const out = mergeLayers([layer('defaults', evil), layer('own', { spec: { a: 1 } })]);
    expect(Object.keys(out.spec as object)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((out.spec as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('records which layer set each value', () => {
    const origins: Origins = new Map();
    mergeLayers(
      [
        layer('defaults', { spec: { issuer: 'x', deploy: [{ target: 't' }] } }),
        layer('own', { spec: { deploy: [{ target: 'u' }] } }),
      ],
      origins,
    );
    expect(origins.get('spec.issuer')).toBe(0);
    expect(origins.get('spec.deploy')).toBe(1);
  });
});

describe('originOf', () => {
  const layers = [
    {
      ...layer('defaults', { metadata: { labels: { team: 'a' } } }, 'certs.d/_defaults.yaml'),
      base: ['spec', 'Certificate'],
    },
    layer('own', { spec: { dnsNames: ['a.com', 'b.com'] } }, 'certs.d/web.yaml'),
  ];
  it('maps a path to the layer and the path inside its document', () => {
    expect(originOf(layers, ['metadata', 'labels', 'team'])).toMatchObject({
      layer: { origin: 'defaults' },
      pathInDoc: ['spec', 'Certificate', 'metadata', 'labels', 'team'],
    });
  });
  it('list items belong to the layer that set the list', () => {
    expect(originOf(layers, ['spec', 'dnsNames', 1])).toMatchObject({
      layer: { origin: 'own' },
      pathInDoc: ['spec', 'dnsNames', 1],
    });
  });
  it('falls back to the layer that set the nearest ancestor, else undefined', () => {
    expect(originOf(layers, ['spec', 'issuer'])).toMatchObject({
      layer: { origin: 'own' },
      pathInDoc: ['spec', 'issuer'],
    });
    expect(originOf(layers, ['status', 'x'])).toBeUndefined();
  });
});

describe('mergeLayers sibling rules', () => {
  it('restating the same algorithm keeps the size from below', () => {
    const out = mergeLayers([
      layer('built-in', { spec: { privateKey: { algorithm: 'RSA', size: 3072 } } }),
      layer('profile', { spec: { privateKey: { algorithm: 'RSA' } } }),
    ]);
    expect(out).toEqual({ spec: { privateKey: { algorithm: 'RSA', size: 3072 } } });
  });
});
