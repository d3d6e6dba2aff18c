// Target and lifecycle changes after the first issuance: a target added (deployed without a new
// certificate), drift repaired, a target removed, rotation `reuse`, retirement.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintSha256 } from '../engine/crypto/x509.ts';
import { countIssued } from '../engine/issuers/ca/records.ts';
import { runCli, scratchDir } from './helpers.ts';
import { certificateYaml, commitAll, git, makeLifecycleRepo } from './lifecycle-repo.ts';

const FILES2 =
  'apiVersion: certops/v1\nkind: Target\nmetadata:\n  name: files2\nspec:\n  type: file\n  directory: deploy/files2\n';

describe('lifecycle changes on file targets', () => {
  let dir: string;
  let home: string;
  let cleanup: () => Promise<void>;
  const cli = (...args: string[]) =>
    runCli(['--repo', dir, '--no-color', ...args], { env: { CERTOPS_HOME: home } });
  const record = (name: string) =>
    JSON.parse(git(dir, 'show', `certops/state:inventory/${name}.json`)) as {
      serial: string;
      state: string;
      fingerprintSha256: string;
      targets: { target: string }[];
    };
  const planOf = async () =>
    JSON.parse((await cli('plan', '--json')).stdout) as {
      changes: { certificate: string; action: string; reasons: { code: string }[] }[];
    };
  const write = (rel: string, text: string) => {
    writeFileSync(path.join(dir, rel), text);
    commitAll(dir, `edit ${rel}`);
  };

  beforeAll(async () => {
    ({ dir, cleanup } = await scratchDir('certops-targets-'));
    home = path.join(dir, '.home');
    await makeLifecycleRepo(dir, { 'certs.d/platform/files2.yaml': FILES2 });
    expect((await cli('init', '--ca')).code).toBe(0);
    expect((await cli('apply')).code).toBe(0);
  }, 60_000);
  afterAll(() => cleanup());

  it('deploys to an added target without issuing a new certificate', async () => {
    write(
      'certs.d/team/api.yaml',
      certificateYaml('api', ['api.example.com'], ['files', 'files2']),
    );
    const plan = await planOf();
    expect(plan.changes.map((c) => [c.action, c.reasons.map((r) => r.code)])).toEqual([
      ['deploy', ['TargetAdded']],
    ]);
    const before = await countIssued(home, 'private-ca');
    expect((await cli('apply')).code).toBe(0);
    expect(await countIssued(home, 'private-ca')).toBe(before);
    const r = record('api');
    expect(r.targets.map((t) => t.target)).toEqual(['files', 'files2']);
    expect(fingerprintSha256(readFileSync(path.join(dir, 'deploy/files2/api.crt'), 'utf8'))).toBe(
      r.fingerprintSha256,
    );
  });

  it('repairs drift: a target that no longer holds the recorded certificate gets it back', async () => {
    writeFileSync(path.join(dir, 'deploy/files2/api.crt'), 'tampered\n');
    const plan = await planOf();
    expect(plan.changes.map((c) => [c.action, c.reasons.map((r) => r.code)])).toEqual([
      ['deploy', ['TargetDrift']],
    ]);
    expect((await cli('plan')).stdout).toMatch(/^ {2}! deploy +api$/m);
    expect((await cli('apply')).code).toBe(0);
    expect(fingerprintSha256(readFileSync(path.join(dir, 'deploy/files2/api.crt'), 'utf8'))).toBe(
      record('api').fingerprintSha256,
    );
    expect((await cli('plan')).code).toBe(0);
  });

  it('removes the certificate from a target taken off its list', async () => {
    write('certs.d/team/api.yaml', certificateYaml('api', ['api.example.com'], ['files2']));
    expect((await planOf()).changes.map((c) => [c.action, c.reasons.map((r) => r.code)])).toEqual([
      ['undeploy', ['TargetRemoved']],
    ]);
    expect((await cli('apply')).code).toBe(0);
    expect(existsSync(path.join(dir, 'deploy/files/api.crt'))).toBe(false);
    expect(existsSync(path.join(dir, 'deploy/files/api.key'))).toBe(false);
    expect(record('api').targets.map((t) => t.target)).toEqual(['files2']);
  });

  it('keeps the key across renewals with rotation reuse, and makes a new one with always', async () => {
    const spki = (f: string) =>
      new X509Certificate(readFileSync(path.join(dir, f))).publicKey
        .export({ type: 'spki', format: 'der' })
        .toString('hex');
    write(
      'certs.d/team/keep.yaml',
      certificateYaml(
        'keep',
        ['keep.example.com'],
        ['files'],
        '  privateKey: { algorithm: ECDSA, size: 256, rotation: reuse }\n',
      ),
    );
    write('certs.d/team/fresh.yaml', certificateYaml('fresh', ['fresh.example.com'], ['files']));
    expect((await cli('apply', 'keep', 'fresh')).code).toBe(0);
    const keep1 = spki('deploy/files/keep.crt');
    const fresh1 = spki('deploy/files/fresh.crt');
    const serial1 = record('keep').serial;
    const later = new Date(Date.now() + 70 * 86_400_000).toISOString();
    expect((await cli('--now', later, 'apply', 'keep', 'fresh')).code).toBe(0);
    expect(record('keep').serial).not.toBe(serial1);
    expect(spki('deploy/files/keep.crt')).toBe(keep1);
    expect(spki('deploy/files/fresh.crt')).not.toBe(fresh1);
  });

  it('retires a certificate removed from certs.d: removed from its targets, recorded as retired', async () => {
    rmSync(path.join(dir, 'certs.d/team/api.yaml'));
    commitAll(dir, 'drop api');
    const plan = await cli('plan');
    expect(plan.stdout).toMatch(/^ +- retire +api\n +Retired: removed from certs\.d$/m);
    expect((await cli('apply', 'api')).code).toBe(0);
    expect(existsSync(path.join(dir, 'deploy/files2/api.crt'))).toBe(false);
    expect(record('api')).toMatchObject({ state: 'retired', targets: [] });
    const status = JSON.parse((await cli('status', '--json')).stdout) as {
      certificates: { name: string }[];
    };
    expect(status.certificates.map((c) => c.name)).not.toContain('api');
  });
});

describe('PKCS#12 output through apply', () => {
  it('writes a password-protected PKCS#12 file that holds the recorded certificate and its key', async () => {
    const { dir, cleanup } = await scratchDir('certops-p12-');
    const home = path.join(dir, '.home');
    const env = { CERTOPS_HOME: home, P12_PASSWORD: 'correct horse battery' };
    try {
      await makeLifecycleRepo(dir, {
        'certs.d/platform/p12.yaml':
          'apiVersion: certops/v1\nkind: Target\nmetadata:\n  name: p12\nspec:\n  type: file\n  directory: deploy/p12\n  files:\n    cert: "{name}.crt"\n    key: "{name}.key"\n    pkcs12: "{name}.p12"\n  pkcs12Password: { env: P12_PASSWORD }\n',
        'certs.d/team/api.yaml': certificateYaml('api', ['api.example.com'], ['p12']),
      });
      expect((await runCli(['--repo', dir, 'init', '--ca'], { env })).code).toBe(0);
      const applied = await runCli(['--repo', dir, 'apply'], { env });
      expect(applied.code).toBe(0);
      const file = path.join(dir, 'deploy/p12/api.p12');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const text = execFileSync(
        'openssl',
        ['pkcs12', '-in', file, '-nokeys', '-passin', 'env:P12_PASSWORD'],
        { env: { ...process.env, ...env }, encoding: 'utf8' },
      );
      const recorded = JSON.parse(git(dir, 'show', 'certops/state:inventory/api.json')) as {
        fingerprintSha256: string;
      };
      const leaf =
        /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(text)?.[0] ?? '';
      expect(fingerprintSha256(leaf)).toBe(recorded.fingerprintSha256);
      expect(() =>
        createSecureContext({ pfx: readFileSync(file), passphrase: env.P12_PASSWORD }),
      ).not.toThrow();
      const noPassword = await runCli(['--repo', dir, 'apply', '--now', '2027-02-10'], {
        env: { CERTOPS_HOME: home },
      });
      expect(noPassword.code).toBe(7);
      expect(noPassword.stdout + noPassword.stderr).toContain('P12_PASSWORD');
    } finally {
      await cleanup();
    }
  }, 60_000);
});
