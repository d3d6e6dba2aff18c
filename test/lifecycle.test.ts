// The embedded lifecycle end to end against a real nginx: init the CA, plan, apply, renew when
// 30 days from expiry, verify over TLS, record in Git; and a deployment nginx rejects.
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeTlsProbe } from '../engine/net/tls-probe.ts';
import { scanHistoryForKeyMaterial } from '../engine/state/index.ts';
import { fingerprintOf, makeTestBundle } from '../engine/targets/testing/certs.ts';
import {
  NGINX_SKIP_REASON,
  nginxAvailable,
  startNginx,
  type NginxInstance,
} from '../engine/targets/nginx/testing.ts';
import { countIssued } from '../engine/issuers/ca/records.ts';
import { runCli, scratchDir } from './helpers.ts';
import {
  certificateYaml,
  commitAll,
  git,
  makeLifecycleRepo,
  nginxTargetYaml,
} from './lifecycle-repo.ts';

const available = nginxAvailable();
const served = (port: number) =>
  nodeTlsProbe.fingerprint('127.0.0.1', port, 'web.example.com', 5000);

describe.skipIf(!available)(
  `lifecycle with nginx (${available ? 'real nginx' : NGINX_SKIP_REASON})`,
  () => {
    let dir: string;
    let home: string;
    let cleanup: () => Promise<void>;
    let nginx: NginxInstance | undefined;
    let env: Record<string, string>;
    const cli = (...args: string[]) => runCli(['--repo', dir, '--no-color', ...args], { env });
    const inventory = (name: string) =>
      JSON.parse(git(dir, 'show', `certops/state:inventory/${name}.json`)) as {
        serial: string;
        fingerprintSha256: string;
        notAfter: string;
        targets: { target: string; verifiedAt?: string }[];
      };

    beforeAll(async () => {
      ({ dir, cleanup } = await scratchDir('certops-lifecycle-'));
      home = path.join(dir, '.home');
      env = { CERTOPS_HOME: home };
      // The endpoint already serves an old certificate, as a load balancer would.
      const boot = await makeTestBundle({ name: 'web', dnsNames: ['web.example.com'] });
      mkdirSync(path.join(dir, 'deploy/nginx'), { recursive: true });
      writeFileSync(path.join(dir, 'deploy/nginx/web.fullchain.pem'), boot.fullchainPem);
      writeFileSync(path.join(dir, 'deploy/nginx/web.key'), boot.privateKeyPem, { mode: 0o600 });
      nginx = await startNginx({
        certFile: path.join(dir, 'deploy/nginx/web.fullchain.pem'),
        keyFile: path.join(dir, 'deploy/nginx/web.key'),
      });
      await makeLifecycleRepo(dir, {
        'certs.d/platform/edge.yaml': nginxTargetYaml(nginx),
        'certs.d/team/web.yaml': certificateYaml(
          'web',
          ['web.example.com', 'www.example.com'],
          ['edge', 'files'],
        ),
      });
    }, 60_000);
    afterAll(async () => {
      await nginx?.stop();
      await cleanup();
    });

    it('issues and deploys on first apply, verified over TLS, then has nothing to do', async () => {
      expect((await cli('init', '--ca')).code).toBe(0);
      const plan = await cli('plan', '--json');
      expect(plan.code).toBe(2);
      expect(
        JSON.parse(plan.stdout).changes.map(
          (c: { certificate: string; action: string }) => `${c.action} ${c.certificate}`,
        ),
      ).toEqual(['issue api', 'issue web']);

      const applied = await cli('apply');
      expect(applied.stdout).toContain('Apply: 2 done, 0 failed.');
      expect(applied.code).toBe(0);
      const web = inventory('web');
      expect(await served(nginx!.port)).toBe(web.fingerprintSha256);
      expect(web.targets.map((t) => t.target)).toEqual(['edge', 'files']);
      expect(web.targets.every((t) => t.verifiedAt)).toBe(true);
      expect(statSync(path.join(dir, 'deploy/files/web.key')).mode & 0o777).toBe(0o600);
      expect(statSync(path.join(dir, 'deploy/nginx/web.key')).mode & 0o777).toBe(0o600);

      const again = await cli('plan');
      expect(again.code).toBe(0);
      expect(again.stdout).toBe('No changes. 2 certificates are up to date.\n');
    });

    it('renews 30 days before expiry: new serial served by nginx, all recorded in Git', async () => {
      const before = inventory('web');
      const now = new Date(Date.parse(before.notAfter) - 30 * 86_400_000 + 60_000).toISOString();
      const plan = await cli('plan', '--now', now, 'web');
      expect(plan.code).toBe(2);
      expect(plan.stdout).toMatch(
        /\^ renew +web\n +RenewalWindow: expires \d{4}-\d\d-\d\d \(29d left\)/,
      );

      const applied = await cli('apply', '--now', now, 'web');
      expect(applied.code).toBe(0);
      const after = inventory('web');
      expect(after.serial).not.toBe(before.serial);
      expect(await served(nginx!.port)).toBe(after.fingerprintSha256);

      const log = git(dir, 'log', '--format=%s%n%b', 'certops/state');
      expect(log).toContain('certops: renew web: verified on edge');
      expect(log).toContain(`Certops-Serial: ${after.serial}`);
      expect(log).toMatch(/Certops-Desired-Commit: [0-9a-f]{40}/);
      expect(log).toContain('Certops-Reasons: RenewalWindow');
      const status = JSON.parse((await cli('status', '--json', '--now', now)).stdout) as {
        certificates: { name: string; health: string }[];
      };
      expect(status.certificates.find((c) => c.name === 'web')?.health).toBe('Healthy');
      expect(await countIssued(home, 'private-ca')).toBe(3);
    });

    it('keeps the previous certificate served when nginx rejects the new files, records the failure, exits 7', async () => {
      // A target that writes the key under a name nginx does not read: nginx -t sees the new
      // certificate with the old key and refuses it.
      writeFileSync(
        path.join(dir, 'certs.d/platform/edge.yaml'),
        nginxTargetYaml(nginx!, '{name}.next.key'),
      );
      commitAll(dir, 'edge: new key file name');
      const current = inventory('web');
      const now = new Date(Date.parse(current.notAfter) - 29 * 86_400_000).toISOString();

      const applied = await cli('apply', '--now', now, 'web');
      expect(applied.code).toBe(7);
      expect(applied.stderr).toContain('operations did not complete');
      expect(await served(nginx!.port)).toBe(current.fingerprintSha256);
      expect(
        fingerprintOf(readFileSync(path.join(dir, 'deploy/nginx/web.fullchain.pem'), 'utf8')),
      ).toBe(current.fingerprintSha256);
      const log = git(dir, 'log', '--format=%s%n%b', 'certops/state');
      expect(log).toContain('certops: renew web: deploy-failed on edge');
      expect(log).toContain('certops: renew web: deploying on edge');
      const status = JSON.parse((await cli('status', '--json', '--now', now)).stdout) as {
        certificates: { name: string; health: string; detail: string }[];
      };
      expect(status.certificates.find((c) => c.name === 'web')).toMatchObject({
        health: 'Degraded',
        detail: expect.stringContaining('deploy to edge failed'),
      });
    });

    it('never commits key material', async () => {
      expect(await scanHistoryForKeyMaterial(dir)).toEqual([]);
    });
  },
);
