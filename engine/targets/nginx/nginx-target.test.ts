import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalError } from '../../errors.ts';
import type { NginxTargetSpec } from '../../model/types.generated.ts';
import { nodeTlsProbe, waitForFingerprint } from '../../net/tls-probe.ts';
import { makeTestBundle } from '../testing/certs.ts';
import { targetContext, tempDir } from '../testing/context.ts';
import type { DeployBundle, TargetContext } from '../types.ts';
import { nginxTarget } from './nginx-target.ts';
import type { NginxInstance } from './testing.ts';
import { NGINX_SKIP_REASON, nginxAvailable, startNginx } from './testing.ts';

const available = nginxAvailable();
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as ExternalError,
  );

describe.skipIf(!available)(
  `nginx target (${available ? 'real nginx' : NGINX_SKIP_REASON})`,
  () => {
    const tmp = tempDir();
    const dir = path.join(tmp.dir, 'nginx');
    const certFile = path.join(dir, 'web.fullchain.pem');
    const keyFile = path.join(dir, 'web.key');
    let nginx: NginxInstance | undefined;
    let ctx: TargetContext;
    let a: DeployBundle, b: DeployBundle, c: DeployBundle;
    const served = () =>
      nodeTlsProbe.fingerprint('127.0.0.1', nginx?.port ?? 0, 'web.example.test', 2_000);

    beforeAll(async () => {
      [a, b, c] = await Promise.all([makeTestBundle(), makeTestBundle(), makeTestBundle()]);
      mkdirSync(dir, { recursive: true });
      writeFileSync(certFile, a.fullchainPem);
      writeFileSync(keyFile, a.privateKeyPem, { mode: 0o600 });
      nginx = await startNginx({ certFile, keyFile });
      const spec: NginxTargetSpec = {
        type: 'nginx',
        directory: 'nginx',
        configTest: nginx.configTestArgv,
        reload: nginx.reloadArgv,
        verify: { port: nginx.port, timeout: '5s' },
      };
      ctx = targetContext(spec, tmp.dir);
    });
    afterAll(async () => {
      await nginx?.stop();
      tmp.cleanup();
    });

    it('deploys a new certificate, reloads, and the endpoint serves it', async () => {
      expect(await served()).toBe(a.fingerprintSha256);
      const r = await nginxTarget.deploy(ctx, b);
      expect(r.files.sort()).toEqual([certFile, keyFile].sort());
      await nginxTarget.verify(ctx, b);
      expect(await served()).toBe(b.fingerprintSha256);
      expect(readFileSync(`${certFile}.prev`, 'utf8')).toBe(a.fullchainPem);
      expect((await nginxTarget.observe(ctx, 'web')).fingerprintSha256).toBe(b.fingerprintSha256);
    });

    it('a key that does not match fails `nginx -t`: previous files restored and still served', async () => {
      const broken = { ...c, privateKeyPem: a.privateKeyPem };
      const err = await errorOf(nginxTarget.deploy(ctx, broken));
      expect(err).toBeInstanceOf(ExternalError);
      expect(err?.message).toMatch(/nginx configuration test after writing web failed/);
      expect(err?.message).toMatch(/key values mismatch/); // nginx's own words
      expect(err?.hint).toMatch(/previous files were restored/);
      expect(readFileSync(certFile, 'utf8')).toBe(b.fullchainPem);
      expect(readFileSync(keyFile, 'utf8')).toBe(b.privateKeyPem);
      expect(await served()).toBe(b.fingerprintSha256);
    });

    it('verify names the certificate served instead when the new one is not live', async () => {
      const short = {
        ...ctx,
        spec: { ...ctx.spec, verify: { port: nginx?.port ?? 0, timeout: '1s' } },
      };
      const err = await errorOf(nginxTarget.verify(short, c));
      expect(err?.message).toContain(`still serves ${b.fingerprintSha256}`);
    });

    it('rollback puts the previous certificate back in service', async () => {
      await nginxTarget.deploy(ctx, c);
      await nginxTarget.verify(ctx, c);
      await nginxTarget.rollback(ctx, c);
      expect(readFileSync(certFile, 'utf8')).toBe(b.fullchainPem);
      await waitForFingerprint(
        nodeTlsProbe,
        '127.0.0.1',
        nginx?.port ?? 0,
        undefined,
        b.fingerprintSha256,
        {
          timeoutMs: 5_000,
        },
      );
    });

    it('without verify, checks the files; observe falls back to files when unreachable', async () => {
      const filesOnly = { ...ctx, spec: { ...ctx.spec, verify: undefined } };
      await nginxTarget.verify(filesOnly, b);
      await expect(nginxTarget.verify(filesOnly, c)).rejects.toThrow(/expected/);
      const dead = { ...ctx, spec: { ...ctx.spec, verify: { port: 1, timeout: '1s' } } };
      expect(await nginxTarget.observe(dead, 'web')).toEqual({
        fingerprintSha256: b.fingerprintSha256,
        files: [keyFile, certFile],
      });
    });

    it('remove deletes the files; a config still using them fails the test and is not reloaded', async () => {
      const err = await errorOf(nginxTarget.remove(ctx, 'web'));
      expect(err?.message).toMatch(/configuration test after removing web/);
      expect(existsSync(certFile)).toBe(false);
      expect(existsSync(`${certFile}.prev`)).toBe(false);
      expect(await served()).toBe(b.fingerprintSha256); // nginx keeps the loaded configuration
    });
  },
);
