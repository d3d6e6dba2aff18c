// The shipped policies' own Rego tests (policies/**/*_test.rego), run as `certops policy test`
// runs them. They need constructs regoc does not compile on every branch yet (`with`, host
// builtins); until it does, the test is skipped and its name says why.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers.ts';
import { compile } from '../../regoc/index.ts';
import { buildPolicyBundle } from './build.ts';
import { runPolicyTests } from './run-tests.ts';

const policyDir = path.join(REPO_ROOT, 'policies');
const files = (await readdir(policyDir, { recursive: true }))
  .map(String)
  .filter((f) => f.endsWith('.rego'))
  .sort();
const probe = compile(
  await Promise.all(
    files.map(async (f) => ({
      path: `policies/${f}`,
      text: await readFile(path.join(policyDir, f), 'utf8'),
    })),
  ),
  { entrypoints: [] },
);
const why = probe.ok
  ? ''
  : ((d) =>
      `skipped: regoc cannot compile them yet (${d?.location?.file}:${d?.location?.line}: ${d?.message}) — `)(
      probe.diagnostics[0],
    );

let cacheDir: string | undefined;
afterAll(() => (cacheDir ? rm(cacheDir, { recursive: true, force: true }) : undefined));

describe('the shipped Rego tests', () => {
  it.skipIf(!probe.ok)(`${why}all pass`, async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'certops-shipped-'));
    const bundle = await buildPolicyBundle({
      policyDir,
      cacheDir,
      tests: true,
      repoRoot: REPO_ROOT,
    });
    const report = runPolicyTests(bundle);
    expect(report.tests.filter((t) => t.status !== 'pass')).toEqual([]);
    expect(report.summary.total).toBeGreaterThanOrEqual(20);
  });
});
