// The acceptance scenario, run as a user would from the README on a copy of the example
// repository with the shipped policies: a 1024-bit RSA certificate makes `plan` exit 4 naming
// the rule and the YAML line; a waiver turns it into a reported waived result; once the waiver
// has expired the violation counts again; `apply` refuses while it is denied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, writeTree } from './helpers.ts';
import { exampleRepoCopy, git } from './lifecycle-repo.ts';

const WEAK = `apiVersion: certops/v1
kind: Certificate
metadata:
  name: weak-rsa
spec:
  dnsNames: [weak.payments.example.com]
  privateKey: { algorithm: RSA, size: 1024 }
  duration: 90d
`;

const waiver = (expires: string): string =>
  `apiVersion: certops/v1
kind: Waiver
metadata:
  name: weak-rsa-waiver
spec:
  rule: crypto.rsa_min_size
  subject: { kind: Certificate, names: [weak-rsa] }
  justification: Embedded device firmware only accepts RSA 1024 until the March update.
  owner: '@example/payments'
  expires: 2027-01-31
`.replace('2027-01-31', expires);

let repo: string;
let cleanup: () => Promise<void>;
let env: Record<string, string>;

beforeAll(async () => {
  ({ repo, env, cleanup } = await exampleRepoCopy('certops-policy-plan-', {
    policies: true,
    extra: { 'certs.d/payments/weak-rsa.yaml': WEAK },
    message: 'example with a weak key',
  }));
});
afterAll(() => cleanup());

const plan = (...extra: string[]) =>
  runCli(['plan', '-C', repo, '--now', '2026-12-01', ...extra], { env });

describe('policy in plan (example repository + shipped policies)', () => {
  it('the shipped policies pass their own tests (certops policy test)', async () => {
    const r = await runCli(['policy', 'test', '-C', repo], { env });
    expect(r.code).toBe(0);
    const m = /PASS: (\d+)\/(\d+)/.exec(r.stdout);
    expect(m?.[1]).toBe(m?.[2]);
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(90);
  });

  it('denies the 1024-bit RSA key: exit 4, rule id and the YAML line', async () => {
    const r = await plan();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/✗ deny crypto\.rsa_min_size: RSA key of 1024 bits is too weak/);
    expect(r.stdout).toContain('at certs.d/payments/weak-rsa.yaml:7:');
    expect(r.stdout).toMatch(/Policy: 1 denied/);
    expect(r.stdout).toMatch(/Blocked by policy: apply will refuse/);
  });

  it('reports the same in --json', async () => {
    const r = await plan('--json');
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout) as {
      policy: {
        enabled: boolean;
        denied: boolean;
        changes: {
          certificate: string;
          failed: { id: string; level: string; location: { file: string; line: number } }[];
        }[];
      };
    };
    expect(out.policy.enabled).toBe(true);
    expect(out.policy.denied).toBe(true);
    const weak = out.policy.changes.find((c) => c.certificate === 'weak-rsa');
    expect(weak?.failed).toContainEqual(
      expect.objectContaining({
        id: 'crypto.rsa_min_size',
        level: 'deny',
        location: expect.objectContaining({ file: 'certs.d/payments/weak-rsa.yaml', line: 7 }),
      }),
    );
    // Nothing else in the example is denied.
    const denies = out.policy.changes.flatMap((c) =>
      c.failed.filter((f) => f.level === 'deny').map((f) => `${c.certificate} ${f.id}`),
    );
    expect(denies).toEqual(['weak-rsa crypto.rsa_min_size']);
  });

  it('apply refuses while a deny stands, and does nothing', async () => {
    const r = await runCli(['apply', '-C', repo, '--now', '2026-12-01'], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/policy denies 1 result; nothing was applied/);
    expect(r.stderr).toContain('weak-rsa: crypto.rsa_min_size (certs.d/payments/weak-rsa.yaml:7:');
    expect(git(repo, 'branch', '--list', 'certops/state')).toBe('');
  });

  it('a waiver turns the deny into a reported waived result', async () => {
    await writeTree(repo, { 'certs.d/payments/waivers/weak-rsa.yaml': waiver('2027-01-31') });
    const r = await plan();
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /~ waived crypto\.rsa_min_size by waiver weak-rsa-waiver until 2027-01-31: RSA key of 1024 bits/,
    );
    expect(r.stdout).toMatch(/Policy: 0 denied, \d+ warnings?, 2 waived/);
  });

  it('an expired waiver turns it back into a failure', async () => {
    const r = await runCli(['plan', '-C', repo, '--now', '2027-02-15'], { env });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(
      /✗ deny crypto\.rsa_min_size \(waiver weak-rsa-waiver expired 2027-01-31\): RSA key of 1024 bits/,
    );
  });
});
