import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTree } from '../../../test/helpers.ts';
import { buildPolicyBundle, type BuiltBundle } from './build.ts';
import { runPolicyTests } from './run-tests.ts';

const TESTS = `package certops.demo_test
import rego.v1

conflict := 1 if data.certops.limits.max == 3
conflict := 2 if data.certops.limits.max > 1

test_passes if data.certops.limits.max == 3

test_false if 1 == 2

test_undefined if input.missing

test_not_true := 7

test_conflict if conflict == 1
`;

let dir: string;
let bundle: BuiltBundle;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'certops-ptest-'));
  await writeTree(dir, {
    'policies/certops/demo_test.rego': TESTS,
    'policies/certops/limits/data.json': '{"max": 3}',
  });
  bundle = await buildPolicyBundle({
    policyDir: path.join(dir, 'policies'),
    cacheDir: path.join(dir, 'cache'),
    tests: true,
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('runPolicyTests', () => {
  it('passes true, fails false / undefined / other values, and reports evaluation errors', async () => {
    let t = 0;
    const report = runPolicyTests(bundle, { timer: () => (t += 0.5) });
    expect(report.tests.map((r) => [r.ref, r.status, r.message])).toEqual([
      ['data.certops.demo_test.test_passes', 'pass', undefined],
      ['data.certops.demo_test.test_false', 'fail', 'undefined'],
      ['data.certops.demo_test.test_undefined', 'fail', 'undefined'],
      ['data.certops.demo_test.test_not_true', 'fail', 'value 7, not true'],
      ['data.certops.demo_test.test_conflict', 'error', expect.stringContaining('conflict')],
    ]);
    expect(report.summary).toEqual({ total: 5, pass: 1, fail: 3, error: 1 });
    expect(report.tests[0]).toMatchObject({
      file: 'policies/certops/demo_test.rego',
      line: 7,
      durationMs: 0.5,
    });
  });

  it('runs only the tests --run selects, by name or by data ref', async () => {
    const byName = runPolicyTests(bundle, { run: /test_(passes|false)$/ });
    expect(byName.tests.map((r) => r.name)).toEqual([
      'certops/demo_test/test_passes',
      'certops/demo_test/test_false',
    ]);
    const byRef = runPolicyTests(bundle, { run: /^data\.certops\.demo_test\.test_not/ });
    expect(byRef.summary).toEqual({ total: 1, pass: 0, fail: 1, error: 0 });
  });
});
