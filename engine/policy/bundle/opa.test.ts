// `--compiler opa` without an `opa` binary (none can be installed here): a stand-in runner
// plays `opa` with the behaviour that matters to certops — it receives the argv, builds in its
// cwd, writes an OPA-shaped bundle to -o, or fails with OPA's error text — so the plumbing
// around the real binary is tested. The real binary is exercised by opa-diff.test.ts.
import { readdir, readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTree } from '../../../test/helpers.ts';
import { InvalidInputError } from '../../errors.ts';
import { compile } from '../../regoc/index.ts';
import type { CommandRunner } from '../../targets/types.ts';
import { buildPolicyBundle } from './build.ts';
import { writeTar } from './tar.ts';

const POLICY = 'package certops\nimport rego.v1\n\nresults contains "x" if input.x\n';

let repo: string;
beforeEach(async () => {
  repo = await mkdtemp(path.join(tmpdir(), 'certops-opa-'));
  await writeTree(repo, {
    'policies/certops/results.rego': POLICY,
    'policies/certops/results_test.rego': 'package certops_test\n\ntest_x if true\n',
    'policies/certops/zones/data.json': '{"a": 1}',
  });
});
afterEach(() => rm(repo, { recursive: true, force: true }));

interface Seen {
  argv: readonly string[];
  cwd: string | undefined;
  files: string[];
  data: unknown;
}

function fakeOpa(seen: Seen[], fail?: string): CommandRunner {
  return {
    async run(argv, opts) {
      if (argv[1] === 'version')
        return { code: 0, stdout: 'Version: 1.4.2\nBuild: x\n', stderr: '' };
      const cwd = opts?.cwd ?? '';
      const files = (await readdir(cwd, { recursive: true })).map(String).sort();
      const data = JSON.parse(await readFile(path.join(cwd, 'data.json'), 'utf8')) as unknown;
      seen.push({ argv, cwd, files, data });
      if (fail !== undefined) return { code: 1, stdout: '', stderr: fail };
      const c = compile([{ path: 'certops/results.rego', text: POLICY }], {
        entrypoints: ['certops/results'],
      });
      if (!c.ok) throw new Error('compile');
      const manifest = {
        revision: '',
        roots: [''],
        wasm: [{ entrypoint: 'certops/results', module: '/policy.wasm' }],
      };
      const enc = new TextEncoder();
      const tgz = gzipSync(
        writeTar([
          { name: '/.manifest', data: enc.encode(JSON.stringify(manifest)) },
          { name: '/policy.wasm', data: c.wasm },
          { name: '/data.json', data: enc.encode(JSON.stringify(data)) },
        ]),
      );
      await writeFile(argv[argv.indexOf('-o') + 1] as string, tgz);
      return { code: 0, stdout: '', stderr: '' };
    },
  };
}

const opts = () => ({
  policyDir: path.join(repo, 'policies'),
  cacheDir: path.join(repo, 'cache'),
  compiler: 'opa' as const,
});

describe('buildPolicyBundle with compiler opa', () => {
  it('runs `opa build -t wasm -e … -o <tmp> .` in a copy holding the selected files and merged data', async () => {
    const seen: Seen[] = [];
    const b = await buildPolicyBundle({ ...opts(), runner: fakeOpa(seen) });
    expect(seen).toHaveLength(1);
    const [call] = seen as [Seen];
    expect(call.argv.slice(0, 6)).toEqual(['opa', 'build', '-t', 'wasm', '-e', 'certops/results']);
    expect(call.argv.at(-1)).toBe('.');
    expect(call.files).toEqual(['certops', 'certops/results.rego', 'data.json']);
    expect(call.data).toEqual({ certops: { zones: { a: 1 } } });
    expect(b).toMatchObject({ compiler: 'opa', compilerVersion: 'Version: 1.4.2', cached: false });
    expect(b.manifest.metadata).toBeUndefined();

    const again = await buildPolicyBundle({ ...opts(), runner: fakeOpa(seen) });
    expect(again.cached).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it("maps OPA's compile errors back to the policy files", async () => {
    const stderr =
      'error: 1 error occurred: certops/results.rego:4: rego_type_error: undefined function foo\n';
    const e: unknown = await buildPolicyBundle({ ...opts(), runner: fakeOpa([], stderr) }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InvalidInputError);
    expect((e as InvalidInputError).diagnostics).toEqual([
      expect.objectContaining({
        code: 'rego-compile',
        file: 'policies/certops/results.rego',
        line: 4,
        message: 'rego_type_error: undefined function foo',
      }),
    ]);
  });
});
