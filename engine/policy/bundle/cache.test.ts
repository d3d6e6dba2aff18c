import { describe, expect, it } from 'vitest';
import { cacheKey, defaultPolicyCacheDir, type CacheKeyInput } from './cache.ts';

describe('defaultPolicyCacheDir', () => {
  it('is $CERTOPS_CACHE_DIR, else <certops home>/cache/policy', () => {
    expect(defaultPolicyCacheDir({ CERTOPS_CACHE_DIR: '/ci/cache' }, '/home/a')).toBe('/ci/cache');
    expect(defaultPolicyCacheDir({ CERTOPS_HOME: '/srv/certops' }, '/home/a')).toBe(
      '/srv/certops/cache/policy',
    );
    expect(defaultPolicyCacheDir({ CERTOPS_CACHE_DIR: '' }, '/home/a')).toBe(
      '/home/a/.certops/cache/policy',
    );
  });
});

describe('cacheKey', () => {
  const base: CacheKeyInput = {
    compiler: 'regoc',
    compilerVersion: '0.1.0+src.1',
    runtimeSha256: 'a'.repeat(64),
    entrypoints: ['certops/results'],
    files: [{ path: 'policies/a.rego', bytes: new TextEncoder().encode('package a') }],
  };

  it('changes with every input, and cannot be fooled by moving bytes between fields', () => {
    const keys = new Set([
      cacheKey(base),
      cacheKey({ ...base, compiler: 'opa' }),
      cacheKey({ ...base, compilerVersion: '0.1.0+src.2' }),
      cacheKey({ ...base, runtimeSha256: 'b'.repeat(64) }),
      cacheKey({ ...base, entrypoints: ['certops/other'] }),
      cacheKey({ ...base, files: [{ path: 'policies/a.rego', bytes: new Uint8Array([1]) }] }),
      cacheKey({ ...base, files: [{ path: 'policies/b.rego', bytes: base.files[0]!.bytes }] }),
      cacheKey({
        ...base,
        files: [{ path: 'policies/a.regop', bytes: new TextEncoder().encode('ackage a') }],
      }),
    ]);
    expect(keys.size).toBe(8);
    expect(cacheKey({ ...base })).toBe(cacheKey(base));
  });
});
