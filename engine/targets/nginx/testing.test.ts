import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeTlsProbe } from '../../net/tls-probe.ts';
import { makeTestBundle } from '../testing/certs.ts';
import { tempDir } from '../testing/context.ts';
import type { DeployBundle } from '../types.ts';
import type { NginxInstance } from './testing.ts';
import { NGINX_SKIP_REASON, nginxAvailable, startNginx } from './testing.ts';
import { connectOnce } from './testing-support.ts';

const available = nginxAvailable();

/** Running (a zombie waiting for an init that does not reap promptly counts as gone). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return false;
  }
}

describe.skipIf(!available)(
  `nginx test support (${available ? 'real nginx' : NGINX_SKIP_REASON})`,
  () => {
    const tmp = tempDir();
    const certFile = path.join(tmp.dir, 'cert.pem');
    const keyFile = path.join(tmp.dir, 'key.pem');
    let bundle: DeployBundle;
    const started: NginxInstance[] = [];
    beforeAll(async () => {
      bundle = await makeTestBundle();
      writeFileSync(certFile, bundle.fullchainPem);
      writeFileSync(keyFile, bundle.privateKeyPem, { mode: 0o600 });
    });
    afterAll(async () => {
      for (const n of started) await n.stop();
      tmp.cleanup();
    });

    it('serves the certificate over TLS 1.3 and stops every process it started', async () => {
      const nginx = await startNginx({ certFile, keyFile });
      started.push(nginx);
      expect(await nodeTlsProbe.fingerprint('127.0.0.1', nginx.port, undefined, 2_000)).toBe(
        bundle.fingerprintSha256,
      );
      const workers = readFileSync(`/proc/${nginx.pid}/task/${nginx.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .map(Number);
      expect(workers.length).toBeGreaterThan(0);
      await nginx.stop();
      await nginx.stop(); // idempotent
      expect([nginx.pid, ...workers].filter(alive)).toEqual([]);
      expect(await connectOnce(nginx.port)).toBe(false);
      expect(existsSync(nginx.prefix)).toBe(false);
    });

    it('speaks TLS 1.3 and gives the config test and reload argv', async () => {
      const nginx = await startNginx({ certFile, keyFile });
      started.push(nginx);
      expect(nginx.configTestArgv.at(-1)).toBe('-t');
      expect(nginx.reloadArgv.slice(-2)).toEqual(['-s', 'reload']);
      const protocol = await new Promise<string | null>((resolve, reject) => {
        const s = tls.connect(
          { host: '127.0.0.1', port: nginx.port, rejectUnauthorized: false, minVersion: 'TLSv1.3' },
          () => {
            resolve(s.getProtocol());
            s.destroy();
          },
        );
        s.once('error', reject);
      });
      expect(protocol).toBe('TLSv1.3');
    });

    it('adds a plain-http server that includes a file and answers 404 otherwise', async () => {
      const include = path.join(tmp.dir, 'extra.conf');
      writeFileSync(include, 'location = /hello { return 200 "hi"; }\n');
      const nginx = await startNginx({ certFile, keyFile, http: { include } });
      started.push(nginx);
      const get = async (p: string) => {
        const r = await fetch(`http://127.0.0.1:${nginx.httpPort ?? 0}${p}`);
        return `${r.status} ${await r.text()}`;
      };
      expect(nginx.httpPort).not.toBe(nginx.port);
      expect(await get('/hello')).toBe('200 hi');
      expect((await get('/other')).slice(0, 3)).toBe('404');
    });

    it("fails to start with nginx's own message", async () => {
      const err = await startNginx({ certFile: path.join(tmp.dir, 'missing.pem'), keyFile }).then(
        (n) => void started.push(n),
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(/nginx did not start .*missing\.pem/s);
    });
  },
);
