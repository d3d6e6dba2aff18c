// `certops policy diff --base <ref>` on a copy of the example repository with a small policy
// whose second version tightens one rule and drops another.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.ts';
import { exampleRepoCopy, git } from './lifecycle-repo.ts';

const rule = (id: string, level: string, cond: string): string => `
results contains {"id": "${id}", "level": "${level}", "message": "${id} fired", "path": "spec.privateKey.size"} if {
	${cond}
}
`;
const HEAD = 'package certops\nimport rego.v1\n';
const V1 =
  HEAD +
  rule('crypto.rsa_min_size', 'deny', 'input.certificate.privateKey.size < 2048') +
  rule(
    'names.no_internal',
    'warn',
    'some n in input.certificate.dnsNames\n\tendswith(n, ".internal")',
  );
const V2 =
  HEAD +
  rule('crypto.rsa_min_size', 'deny', 'input.certificate.privateKey.size < 2048') +
  rule(
    'crypto.rsa_recommended_size',
    'warn',
    'input.certificate.privateKey.algorithm == "RSA"\n\tinput.certificate.privateKey.size < 3072',
  ) +
  rule(
    'names.no_internal',
    'deny',
    'some n in input.certificate.dnsNames\n\tendswith(n, ".internal")',
  );

let repo: string;
let cleanup: () => Promise<void>;
let env: Record<string, string>;

beforeAll(async () => {
  ({ repo, env, cleanup } = await exampleRepoCopy('certops-policy-diff-', {
    policies: false,
    extra: { 'policies/p.rego': V1 },
    message: 'policy v1',
  }));
  await writeFile(path.join(repo, 'policies/p.rego'), V2);
});
afterAll(() => cleanup());

describe('certops policy diff', () => {
  it('lists what the working-tree policy newly fails, and level changes', async () => {
    const r = await runCli(
      ['policy', 'diff', '-C', repo, '--base', 'main', '--now', '2026-12-01', '--json'],
      {
        env,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as {
      base: { ref: string; files: string[] };
      evaluated: number;
      newlyFailing: {
        certificate: string;
        id: string;
        waivedBy?: string;
        location?: { file: string; line: number };
      }[];
      newlyPassing: unknown[];
      levelChanged: { id: string; from: string; level: string }[];
    };
    expect(d.base.ref).toMatch(/^main \([0-9a-f]{12}\)$/);
    expect(d.base.files).toEqual(['policies/p.rego']);
    expect(d.evaluated).toBeGreaterThan(5);
    // legacy-batch (RSA 2048) newly warns, and the example's waiver already covers it.
    expect(d.newlyFailing).toEqual([
      expect.objectContaining({
        certificate: 'legacy-batch',
        id: 'crypto.rsa_recommended_size',
        waivedBy: 'legacy-batch-rsa',
        location: expect.objectContaining({ file: 'certs.d/payments/legacy-batch.yaml', line: 10 }),
      }),
    ]);
    expect(d.newlyPassing).toEqual([]);
    expect(d.levelChanged.length).toBeGreaterThan(0);
    expect(
      d.levelChanged.every(
        (e) => e.id === 'names.no_internal' && e.from === 'warn' && e.level === 'deny',
      ),
    ).toBe(true);
  });

  it('prints a readable report, and the reverse comparison shows the results newly passing', async () => {
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'policy v2');
    await writeFile(path.join(repo, 'policies/p.rego'), V1);
    const r = await runCli(
      ['policy', 'diff', '-C', repo, '--base', 'HEAD', '--now', '2026-12-01'],
      { env },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Policy diff: policies\/ at HEAD \([0-9a-f]{12}\) → working tree, \d+ certificates judged\./,
    );
    expect(r.stdout).toMatch(
      /Newly passing:\n {2}- warn crypto\.rsa_recommended_size legacy-batch \(waived by legacy-batch-rsa\)/,
    );
    expect(r.stdout).toMatch(/Level changed:\n {2}~ warn names\.no_internal \S+ \(deny → warn\)/);
    const back = await runCli(
      ['policy', 'diff', '-C', repo, '--base', 'HEAD~1', '--now', '2026-12-01'],
      { env },
    );
    expect(back.stdout).toMatch(/No differences/);
  });

  it('refuses a --base that names no commit, with a hint', async () => {
    const r = await runCli(['policy', 'diff', '-C', repo, '--base', 'no-such-branch'], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--base "no-such-branch" is not a commit in this repository/);
    expect(r.stderr).toMatch(/hint: Give a branch/);
  });
});
