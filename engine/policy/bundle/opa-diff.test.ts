// Differential checks between certops' compiler and OPA on the shipped policies, over policy
// inputs built from the example repository (every certificate, with and without a pull
// request's approvals, as issue and renew). With `opa` on PATH both compilers build
// policies/ and must give the same results; without it that test is skipped with its reason
// in its name. Since no real `opa build` output can be made here, the second test packs a
// regoc module into an archive shaped exactly like `opa build -t wasm` output and checks that
// it reads back and evaluates like the certops bundle.
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers.ts';
import { InvalidInputError } from '../../errors.ts';
import { desiredCertificates } from '../../plan/desired.ts';
import { validateRepository } from '../../validate/validate-repo.ts';
import { policyInput, type PolicyInput } from '../input.ts';
import { loadPolicyBundle, type PolicyBundle } from '../loader.ts';
import { readBundle } from './bundle.ts';
import { buildPolicyBundle, type BuiltBundle } from './build.ts';
import { writeTar } from './tar.ts';

const NOW = new Date('2026-04-01T09:30:00Z');

const hasOpa = ((): boolean => {
  try {
    execFileSync('opa', ['version'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
})();

let dir: string;
let inputs: PolicyInput[];
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'certops-opa-diff-'));
  const { model } = await validateRepository(REPO_ROOT, { now: NOW });
  const approvals = [{ login: 'alice', teams: ['@example/security'] }];
  const repo = { author: 'dave', changedPaths: ['certs.d/x.yaml'] };
  inputs = desiredCertificates(model).flatMap((desired) => [
    policyInput({ desired, model, now: NOW }),
    policyInput({ desired, model, now: NOW, approvals: [], repo }),
    policyInput({ desired, model, now: NOW, approvals, repo }),
  ]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every input's results, each result set sorted (sets have no order across compilers). */
function resultsOf(policy: PolicyBundle): string[][] {
  return inputs.map((input) => {
    const rows = policy.evaluate(input, 'certops/results');
    const set = (rows[0]?.result ?? []) as unknown[];
    return set.map((r) => JSON.stringify(r)).sort();
  });
}

/** The shipped non-test policies regoc compiles today, copied to `<dir>/<name>/policies`. */
async function compilingShippedPolicies(name: string): Promise<BuiltBundle> {
  const policyDir = path.join(dir, name, 'policies');
  await cp(path.join(REPO_ROOT, 'policies'), policyDir, { recursive: true });
  const cacheDir = path.join(dir, name, 'cache');
  for (;;) {
    try {
      return await buildPolicyBundle({ policyDir, cacheDir });
    } catch (e) {
      const bad =
        e instanceof InvalidInputError
          ? e.diagnostics.filter((d) => d.code === 'rego-unsupported')
          : [];
      if (bad.length === 0) throw e;
      for (const d of bad) await rm(path.join(dir, name, d.file), { force: true });
    }
  }
}

describe('regoc and OPA agree on the shipped policies', () => {
  it.skipIf(!hasOpa)(
    `${hasOpa ? '' : 'skipped: opa not on PATH — '}same results for every example input`,
    async () => {
      const policyDir = path.join(REPO_ROOT, 'policies');
      const cacheDir = path.join(dir, 'both');
      const ours = await buildPolicyBundle({ policyDir, cacheDir });
      const theirs = await buildPolicyBundle({ policyDir, cacheDir, compiler: 'opa' });
      expect(theirs.manifest.wasm?.map((w) => w.entrypoint)).toEqual(['certops/results']);
      const a = resultsOf(await loadPolicyBundle({ wasm: ours.wasm, data: ours.data }));
      const b = resultsOf(await loadPolicyBundle({ wasm: theirs.wasm, data: theirs.data }));
      expect(a).toEqual(b);
      expect(a.flat().length).toBeGreaterThan(0);
    },
  );

  it('an archive shaped like `opa build -t wasm` output reads back and evaluates alike', async () => {
    const built = await compilingShippedPolicies('shaped');
    expect(built.files.length).toBeGreaterThanOrEqual(3);
    const rego = path.join(dir, 'shaped', 'policies', 'certops');
    const enc = new TextEncoder();
    const sources = await Promise.all(
      (await readdir(rego)).map(async (f) => ({
        name: `/policies/certops/${f}`,
        data: new Uint8Array(await readFile(path.join(rego, f))),
      })),
    );
    // What `opa build -t wasm -e certops/results policies/` writes: bundle-rooted names, a
    // manifest without metadata, the merged data, the module and every source.
    const manifest = {
      revision: '',
      roots: [''],
      wasm: [{ entrypoint: 'certops/results', module: '/policy.wasm' }],
      rego_version: 1,
    };
    const archive = gzipSync(
      writeTar([
        { name: '/data.json', data: enc.encode(JSON.stringify(built.data)) },
        { name: '/policy.wasm', data: built.wasm },
        ...sources,
        { name: '/.manifest', data: enc.encode(JSON.stringify(manifest)) },
      ]),
    );
    const opaShaped = readBundle(archive, { name: 'opa-bundle.tar.gz' });
    expect(opaShaped.manifest).toEqual(manifest);
    expect(opaShaped.data).toEqual(built.data);
    const fromOpaShape = resultsOf(await loadPolicyBundle(opaShaped));
    const fromOurs = resultsOf(await loadPolicyBundle({ wasm: built.wasm, data: built.data }));
    expect(fromOpaShape).toEqual(fromOurs);
    expect(fromOurs.flat().length).toBeGreaterThan(0);
  });
});
