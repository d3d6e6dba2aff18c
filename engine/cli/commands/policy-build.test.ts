import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, scratchDir, writeTree } from '../../../test/helpers.ts';
import { readBundle } from '../../policy/bundle/bundle.ts';

const POLICY = `package certops
import rego.v1

results contains {"id": "demo.big", "level": "deny", "message": "too many names"} if {
	count(input.certificate.spec.dnsNames) > data.certops.max_names
}
`;

let repo: string;
let cleanup: () => Promise<void>;
let env: Record<string, string>;
beforeEach(async () => {
  ({ dir: repo, cleanup } = await scratchDir());
  env = { CERTOPS_CACHE_DIR: path.join(repo, 'cache') };
  await writeTree(repo, {
    'policies/certops/results.rego': POLICY,
    'policies/data.json': '{"certops": {"max_names": 2}}',
    'policies/certops/checks_test.rego': `package certops.checks_test
import rego.v1

test_limit_is_two if data.certops.max_names == 2

test_limit_is_three if data.certops.max_names == 3
`,
  });
});
afterEach(() => cleanup());

const cli = (...args: string[]) =>
  runCli(['--repo', repo, '--no-color', ...args], { env, cwd: repo });

describe('certops policy build', () => {
  it('writes the bundle to .certops/policy/bundle.tar.gz and reports it as JSON', async () => {
    const r = await cli('policy', 'build', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      ok: true,
      compiler: 'regoc',
      files: ['policies/certops/results.rego'],
      entrypoints: ['certops/results'],
      out: '.certops/policy/bundle.tar.gz',
      cached: false,
    });
    expect(out.compilerVersion).toMatch(/^certops-regoc/);
    expect(Object.keys(out)).toEqual([
      'ok',
      'compiler',
      'compilerVersion',
      'files',
      'entrypoints',
      'out',
      'bytes',
      'sha256',
      'hash',
      'revision',
      'cached',
      'durationMs',
    ]);
    const bytes = new Uint8Array(await readFile(path.join(repo, '.certops/policy/bundle.tar.gz')));
    expect(bytes.length).toBe(out.bytes);
    expect(readBundle(bytes).data).toEqual({ certops: { max_names: 2 } });

    const again = await cli('policy', 'build', '--out', 'dist/b.tar.gz');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Built 1 policy files from the cache');
    expect(again.stdout).toContain('  policies/certops/results.rego\n');
    expect(again.stdout).toContain('wrote dist/b.tar.gz');
    const copy = await readFile(path.join(repo, 'dist/b.tar.gz'));
    expect(Buffer.from(copy).equals(Buffer.from(bytes))).toBe(true);
  });

  it('exits 3 with file:line:col diagnostics when a policy does not compile', async () => {
    await writeTree(repo, { 'policies/certops/bad.rego': 'package certops.bad\n\nx := [1,\n' });
    const r = await cli('policy', 'build');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^policies\/certops\/bad\.rego:\d+:\d+: error rego-syntax /m);
    const j = await cli('policy', 'build', '--json');
    expect(JSON.parse(j.stdout)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', diagnostics: [{ file: 'policies/certops/bad.rego' }] },
    });
  });
});

describe('certops policy test', () => {
  it('lists failures like opa test, prints PASS: n/m and exits 3 when a test fails', async () => {
    const r = await cli('policy', 'test');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /^policies\/certops\/checks_test\.rego:\ndata\.certops\.checks_test\.test_limit_is_three: FAIL \([\dµ.]+m?s\)\n {2}line 6: undefined\n-{80}\nPASS: 1\/2\nFAIL: 1\/2\n$/,
    );
    const verbose = await cli('policy', 'test', '-v');
    expect(verbose.stdout).toMatch(/test_limit_is_two: PASS \(/);
  });

  it('exits 0 when the selected tests pass, with a stable --json shape', async () => {
    const r = await cli('policy', 'test', '--run', 'is_two$', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { tests: Record<string, unknown>[] };
    expect(out).toMatchObject({
      ok: true,
      compiler: 'regoc',
      summary: { total: 1, pass: 1, fail: 0, error: 0 },
    });
    expect(Object.keys(out)).toEqual([
      'ok',
      'compiler',
      'cached',
      'hash',
      'files',
      'summary',
      'tests',
      'durationMs',
    ]);
    expect(out.tests[0]).toMatchObject({
      name: 'certops/checks_test/test_limit_is_two',
      ref: 'data.certops.checks_test.test_limit_is_two',
      file: 'policies/certops/checks_test.rego',
      line: 4,
      status: 'pass',
    });
  });

  it('refuses a --run that is not a regular expression', async () => {
    const r = await cli('policy', 'test', '--run', '(');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('is not a regular expression');
  });
});
