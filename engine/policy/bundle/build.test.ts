import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTree } from '../../../test/helpers.ts';
import { ExternalError, InvalidInputError } from '../../errors.ts';
import { loadPolicyBundle } from '../loader.ts';
import { readBundle } from './bundle.ts';
import { buildPolicyBundle, type BuildOptions } from './build.ts';
import { cacheFile } from './cache.ts';

const RESULTS = `package certops
import rego.v1

results contains r if some r in data.certops.crypto.results
`;
const CRYPTO = `package certops.crypto
import rego.v1

results contains r if {
	input.certificate.spec.privateKey.size < data.certops.config.min_rsa
	r := {"id": "crypto.rsa_min", "level": "deny", "message": "small key", "zone": data.certops.zones.payments[0]}
}
`;
const CRYPTO_TEST = `package certops.crypto_test
import rego.v1

test_small_key_fires if {
	count(data.certops.crypto.results) == 0
}

test_always if true
`;

let repo: string;
let opts: BuildOptions;
beforeEach(async () => {
  repo = await mkdtemp(path.join(tmpdir(), 'certops-build-'));
  await writeTree(repo, {
    'policies/certops/results.rego': RESULTS,
    'policies/certops/crypto.rego': CRYPTO,
    'policies/certops/crypto_test.rego': CRYPTO_TEST,
    'policies/data.json': JSON.stringify({ certops: { config: { min_rsa: 2048 } } }),
    'policies/certops/zones/data.json': JSON.stringify({ payments: ['pay.example.com'] }),
  });
  opts = { policyDir: path.join(repo, 'policies'), cacheDir: path.join(repo, 'cache') };
});
afterEach(() => rm(repo, { recursive: true, force: true }));

async function refusal(o: BuildOptions): Promise<InvalidInputError> {
  const e: unknown = await buildPolicyBundle(o).then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof InvalidInputError))
    throw new Error(`expected InvalidInputError, got ${String(e)}`);
  return e;
}

describe('buildPolicyBundle', () => {
  it('compiles the policies (no tests) with data scoped like OPA and evaluates them', async () => {
    const b = await buildPolicyBundle(opts);
    expect(b).toMatchObject({
      cached: false,
      files: ['policies/certops/crypto.rego', 'policies/certops/results.rego'],
      tests: [],
      entrypoints: ['certops/results'],
    });
    expect(b.manifest.metadata?.compiler).toMatch(/^certops-regoc/);
    expect(JSON.stringify(b.manifest)).not.toMatch(/"compiler":"opa/i);
    const policy = await loadPolicyBundle({ wasm: b.wasm, data: b.data });
    const input = { certificate: { spec: { privateKey: { size: 1024 } } } };
    expect(policy.evaluate(input, 'certops/results')).toEqual([
      {
        result: [
          { id: 'crypto.rsa_min', level: 'deny', message: 'small key', zone: 'pay.example.com' },
        ],
      },
    ]);
    expect(readBundle(b.bytes).sources.map((s) => s.path)).toEqual([
      'certops/crypto.rego',
      'certops/results.rego',
    ]);
  });

  it('serves the second build from the cache without rewriting it, byte for byte', async () => {
    const first = await buildPolicyBundle(opts);
    const file = cacheFile(opts.cacheDir, first.hash);
    const before = await stat(file);
    const second = await buildPolicyBundle(opts);
    expect(second.cached).toBe(true);
    expect(second.hash).toBe(first.hash);
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    expect((await stat(file)).ino).toBe(before.ino);
  });

  it('rebuilds byte-identical bundles from identical inputs in a fresh cache', async () => {
    const a = await buildPolicyBundle(opts);
    const b = await buildPolicyBundle({ ...opts, cacheDir: path.join(repo, 'cache2') });
    expect(b.cached).toBe(false);
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
  });

  it('misses the cache when a file changes, and rebuilds a corrupt cache entry', async () => {
    const first = await buildPolicyBundle(opts);
    await writeFile(
      path.join(repo, 'policies/data.json'),
      '{"certops": {"config": {"min_rsa": 4096}}}',
    );
    const changed = await buildPolicyBundle(opts);
    expect(changed).toMatchObject({ cached: false });
    expect(changed.hash).not.toBe(first.hash);

    await writeFile(cacheFile(opts.cacheDir, changed.hash), 'garbage');
    const rebuilt = await buildPolicyBundle(opts);
    expect(rebuilt.cached).toBe(false);
    expect(Buffer.from(rebuilt.bytes).equals(Buffer.from(changed.bytes))).toBe(true);
    const repaired = await readFile(cacheFile(opts.cacheDir, changed.hash));
    expect(Buffer.from(repaired).equals(Buffer.from(changed.bytes))).toBe(true);
    expect((await buildPolicyBundle(opts)).cached).toBe(true);
  });

  it('still builds when the cache cannot be written', async () => {
    await writeFile(path.join(repo, 'not-a-dir'), 'x');
    const b = await buildPolicyBundle({ ...opts, cacheDir: path.join(repo, 'not-a-dir') });
    expect(b.cached).toBe(false);
    expect(readBundle(b.bytes).manifest.wasm).toEqual([
      { entrypoint: 'certops/results', module: '/policy.wasm' },
    ]);
  });

  it('with tests, compiles the _test.rego files and makes every test_ rule an entrypoint', async () => {
    const b = await buildPolicyBundle({ ...opts, tests: true });
    expect(b.files).toContain('policies/certops/crypto_test.rego');
    expect(b.tests).toEqual([
      'certops/crypto_test/test_small_key_fires',
      'certops/crypto_test/test_always',
    ]);
    expect(b.manifest.wasm?.map((w) => w.entrypoint)).toEqual(b.tests);
  });

  it('caches a test build of policies without tests (a module without entrypoints)', async () => {
    await rm(path.join(repo, 'policies/certops/crypto_test.rego'));
    const first = await buildPolicyBundle({ ...opts, tests: true });
    expect(first).toMatchObject({ tests: [], entrypoints: [], cached: false });
    expect((await buildPolicyBundle({ ...opts, tests: true })).cached).toBe(true);
  });

  it('reports compile errors at file:line:col with the construct', async () => {
    await writeFile(
      path.join(repo, 'policies/certops/crypto.rego'),
      'package certops.crypto\nimport rego.v1\n\nresults contains m if {\n\tm := $"key {input.size}"\n}\n',
    );
    const e = await refusal(opts);
    expect(e.diagnostics).toEqual([
      expect.objectContaining({
        code: 'rego-unsupported',
        file: 'policies/certops/crypto.rego',
        line: 5,
        col: 7,
        message: 'unsupported: template strings',
      }),
    ]);
    expect(e.hint).toContain('--compiler opa');

    await writeFile(
      path.join(repo, 'policies/certops/crypto.rego'),
      'package certops.crypto\nx := \n',
    );
    expect((await refusal(opts)).diagnostics[0]).toMatchObject({
      code: 'rego-syntax',
      file: 'policies/certops/crypto.rego',
      line: 3,
    });
  });

  it('reports conflicting data files and a missing entrypoint', async () => {
    await writeTree(repo, { 'policies/certops/config/data.json': '{"min_rsa": 1}' });
    const e = await refusal(opts);
    expect(e.diagnostics[0]).toMatchObject({ code: 'policy-data', path: 'certops.config.min_rsa' });

    await rm(path.join(repo, 'policies/certops/config'), { recursive: true });
    const missing = await refusal({ ...opts, entrypoints: ['certops/nothing'] });
    expect(missing.diagnostics[0]?.code).toBe('rego-entrypoint');
  });

  it('with --compiler opa and no opa, fails with an ExternalError and a hint', async () => {
    const noOpa = {
      run: () => Promise.reject(new ExternalError('cannot start `opa version`: not found')),
    };
    const e: unknown = await buildPolicyBundle({ ...opts, compiler: 'opa', runner: noOpa }).catch(
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ExternalError);
    expect((e as ExternalError).message).toContain('`opa` is not on PATH');
    expect((e as ExternalError).hint).toContain('--compiler regoc');
  });
});
