import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.ts';
import { compile } from '../../regoc/index.ts';
import { loadPolicyBundle } from '../loader.ts';
import { readBundle, writeBundle, type BundleContents } from './bundle.ts';
import { writeTar } from './tar.ts';

const POLICY = `package certops
import rego.v1

results contains r if {
	input.spec.privateKey.size < 2048
	r := {"id": "crypto.rsa_min", "level": "deny", "message": sprintf("key %d is small", [input.spec.privateKey.size]), "limit": data.certops.limit}
}
`;

function compiled(): BundleContents {
  const r = compile([{ path: 'certops/results.rego', text: POLICY }], {
    entrypoints: ['certops/results'],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return {
    manifest: r.manifest,
    wasm: r.wasm,
    data: { certops: { limit: 2048 } },
    sources: [{ path: 'certops/results.rego', text: POLICY }],
  };
}

const enc = new TextEncoder();
const tgz = (entries: Record<string, string | Uint8Array>): Uint8Array =>
  gzipSync(
    writeTar(
      Object.entries(entries).map(([name, d]) => ({
        name,
        data: typeof d === 'string' ? enc.encode(d) : d,
      })),
    ),
  );

function refusal(bytes: Uint8Array, name = 'policies/bundle.tar.gz'): InvalidInputError {
  try {
    readBundle(bytes, { name, limits: { maxEntries: 16, maxUncompressedBytes: 1 << 20 } });
  } catch (e) {
    if (e instanceof InvalidInputError) return e;
    throw e;
  }
  throw new Error('the bundle was accepted');
}

const OPA_MANIFEST = JSON.stringify({
  revision: '',
  roots: [''],
  wasm: [{ entrypoint: 'certops/results', module: '/policy.wasm' }],
  rego_version: 1,
});

describe('writeBundle / readBundle', () => {
  it('round-trips and evaluates through the real SDK', async () => {
    const b = compiled();
    const back = readBundle(writeBundle(b));
    expect(back.manifest).toEqual(b.manifest);
    expect(back.data).toEqual(b.data);
    expect(back.sources).toEqual(b.sources);
    const policy = await loadPolicyBundle({ wasm: back.wasm, data: back.data });
    expect(policy.evaluate({ spec: { privateKey: { size: 1024 } } }, 'certops/results')).toEqual([
      {
        result: [
          { id: 'crypto.rsa_min', level: 'deny', message: 'key 1024 is small', limit: 2048 },
        ],
      },
    ]);
  });

  it('writes byte-identical archives for identical contents, with OPA-style entry names', () => {
    const a = writeBundle(compiled());
    expect(Buffer.from(writeBundle(compiled())).equals(Buffer.from(a))).toBe(true);
    expect([...a.subarray(4, 8)]).toEqual([0, 0, 0, 0]); // no gzip timestamp
  });

  it('reads an archive shaped like `opa build -t wasm` output (no metadata, data {})', async () => {
    const { wasm } = compiled();
    const b = readBundle(
      tgz({
        '/.manifest': OPA_MANIFEST,
        '/policy.wasm': wasm,
        '/data.json': '{}',
        '/policies/certops/results.rego': POLICY,
      }),
    );
    expect(b.manifest.wasm).toEqual([{ entrypoint: 'certops/results', module: '/policy.wasm' }]);
    expect(b.data).toEqual({});
    expect(b.sources.map((s) => s.path)).toEqual(['policies/certops/results.rego']);
    const policy = await loadPolicyBundle({ wasm: b.wasm, data: { certops: { limit: 1 } } });
    expect(policy.evaluate({ spec: { privateKey: { size: 4096 } } })).toEqual([{ result: [] }]);
  });

  it('accepts a bundle without data.json and scopes nested data.json files by directory', () => {
    const { wasm } = compiled();
    const b = readBundle(
      tgz({
        '/.manifest': OPA_MANIFEST,
        '/policy.wasm': wasm,
        '/certops/zones/data.json': '{"a": ["x"]}',
      }),
    );
    expect(b.data).toEqual({ certops: { zones: { a: ['x'] } } });
    expect(readBundle(tgz({ '/.manifest': OPA_MANIFEST, '/policy.wasm': wasm })).data).toEqual({});
  });

  it('refuses path traversal, doubled slashes and backslashes, naming the bundle', () => {
    for (const evil of ['../evil.rego', '/certops/../../etc/passwd', '//etc/passwd', 'a\\b.rego']) {
      const e = refusal(tgz({ '/.manifest': OPA_MANIFEST, [evil]: 'x' }));
      expect(e.diagnostics[0]).toMatchObject({
        code: 'bundle-unsafe-entry',
        file: 'policies/bundle.tar.gz',
      });
      expect(e.message).toContain('policies/bundle.tar.gz');
    }
  });

  it('refuses too many entries, oversized contents and non-gzip bytes', () => {
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`/f${i}.rego`, 'x']));
    expect(refusal(tgz(many)).message).toContain('more than 16 entries');
    const bomb = gzipSync(writeTar([{ name: '/big.json', data: new Uint8Array(2 << 20) }]));
    expect(refusal(bomb).message).toContain('unpacks to more than');
    expect(refusal(enc.encode('not a bundle')).diagnostics[0]?.code).toBe('bundle-invalid');
  });

  it('names the manifest field that is wrong, and a missing module', () => {
    const bad = JSON.stringify({ wasm: [{ module: '/policy.wasm' }], roots: 'certops' });
    const e = refusal(tgz({ '/.manifest': bad, '/policy.wasm': 'x' }));
    expect(e.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['bundle-manifest', 'roots'],
      ['bundle-manifest', 'wasm[0].entrypoint'],
    ]);
    const missing = refusal(tgz({ '/.manifest': OPA_MANIFEST }));
    expect(missing.diagnostics[0]).toMatchObject({
      code: 'bundle-invalid',
      path: 'wasm[0].module',
    });
    expect(refusal(tgz({ '/policy.wasm': 'x' })).message).toContain('no /.manifest');
  });

  describe('archives written by GNU tar', () => {
    let dir: string;
    const hasTar = (() => {
      try {
        execFileSync('tar', ['--version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'certops-bundle-'));
      await mkdir(path.join(dir, 'src', 'certops'), { recursive: true });
      await writeFile(path.join(dir, 'src', '.manifest'), OPA_MANIFEST);
      await writeFile(path.join(dir, 'src', 'policy.wasm'), compiled().wasm);
      const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}.rego`;
      await mkdir(path.join(dir, 'src', path.dirname(long)), { recursive: true });
      await writeFile(path.join(dir, 'src', long), POLICY);
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it.skipIf(!hasTar)('reads pax and gnu archives with directories and long names', async () => {
      for (const format of ['pax', 'gnu']) {
        const out = path.join(dir, `${format}.tar.gz`);
        execFileSync('tar', [`--format=${format}`, '-czf', out, '-C', path.join(dir, 'src'), '.']);
        const b = readBundle(new Uint8Array(await readFile(out)));
        expect(b.sources[0]?.path).toMatch(/^d+\/e+\/f+\.rego$/);
      }
    });

    it.skipIf(!hasTar)('refuses a symbolic link', async () => {
      await symlink('/etc/passwd', path.join(dir, 'src', 'certops', 'link.rego'));
      const out = path.join(dir, 'link.tar.gz');
      execFileSync('tar', ['-czf', out, '-C', path.join(dir, 'src'), '.']);
      const e = refusal(new Uint8Array(await readFile(out)));
      expect(e.diagnostics[0]?.code).toBe('bundle-unsafe-entry');
      expect(e.message).toContain('symbolic link');
    });
  });
});
