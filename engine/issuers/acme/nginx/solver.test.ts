// The nginx http-01 solver against a real nginx (targets/nginx/testing.ts) whose plain-http
// server includes the snippet: present makes nginx serve the key authorization, cleanup takes it
// away, concurrent presents share one reload, and a failed config test restores the snippet
// and reports nginx's message.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../clock.ts';
import { ExternalError } from '../../../errors.ts';
import type { NginxTargetSpec } from '../../../model/types.generated.ts';
import { processRunner } from '../../../net/command.ts';
import type { NginxInstance } from '../../../targets/nginx/testing.ts';
import { NGINX_SKIP_REASON, nginxAvailable, startNginx } from '../../../targets/nginx/testing.ts';
import { makeTestBundle } from '../../../targets/testing/certs.ts';
import { tempDir } from '../../../targets/testing/context.ts';
import type { CommandRunner } from '../../../targets/types.ts';
import type { IssuerContext } from '../../types.ts';
import type { Solver } from '../solvers.ts';
import { nginxFrom } from './config.ts';
import { renderSnippet, SNIPPET_FILE } from './snippet.ts';
import { nginxSolver } from './solver.ts';

const available = nginxAvailable();
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as ExternalError,
  );
const challenge = (n: number) => {
  const token = `tok-${n}_${'x'.repeat(20)}`;
  return { ch: { type: 'http-01', token }, ka: `${token}.thumb_${n}` };
};

describe.skipIf(!available)(
  `nginx http-01 solver (${available ? 'real nginx' : NGINX_SKIP_REASON})`,
  () => {
    const tmp = tempDir('certops-nginx-http01-');
    const snippet = path.join(tmp.dir, 'edge', SNIPPET_FILE);
    let nginx: NginxInstance;
    const commands: string[] = [];
    const runner: CommandRunner = {
      run(argv, opts) {
        commands.push(argv.includes('-t') ? 'test' : 'reload');
        return processRunner.run(argv, opts);
      },
    };
    const solvers: Solver[] = [];
    const solver = (): Solver => {
      const spec: NginxTargetSpec = {
        type: 'nginx',
        directory: 'edge',
        configTest: nginx.configTestArgv,
        reload: nginx.reloadArgv,
      };
      const ctx: IssuerContext = {
        name: 'acme',
        spec: { type: 'acme', directoryUrl: 'https://acme.invalid/dir' },
        home: tmp.dir,
        clock: systemClock,
        deployRoot: tmp.dir,
        runner,
        target: (n) => (n === 'edge-nginx' ? spec : undefined),
      };
      const s = nginxFrom(ctx, {
        nginxTarget: 'edge-nginx',
        selfCheck: { port: nginx.httpPort ?? 0 },
      });
      solvers.push(s);
      return s;
    };
    // A new connection each time, as the CA makes: a pooled one may still reach an old worker
    // that is finishing its requests after a reload.
    const get = async (token: string) => {
      const r = await fetch(
        `http://127.0.0.1:${nginx.httpPort ?? 0}/.well-known/acme-challenge/${token}`,
        { headers: { connection: 'close' } },
      );
      return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
    };

    beforeAll(async () => {
      const bundle = await makeTestBundle();
      const certFile = path.join(tmp.dir, 'cert.pem');
      const keyFile = path.join(tmp.dir, 'key.pem');
      writeFileSync(certFile, bundle.fullchainPem);
      writeFileSync(keyFile, bundle.privateKeyPem, { mode: 0o600 });
      // The operator's one-time step: the include, with the file present (empty) from the start.
      mkdirSync(path.dirname(snippet), { recursive: true });
      writeFileSync(snippet, renderSnippet(new Map()));
      nginx = await startNginx({ certFile, keyFile, http: { include: snippet } });
    });
    afterAll(async () => {
      for (const s of solvers) await s.close();
      await nginx?.stop();
      tmp.cleanup();
    });

    it('present: nginx serves the key authorization as text/plain; cleanup: 404', async () => {
      const s = solver();
      const { ch, ka } = challenge(1);
      commands.length = 0;
      await s.present('web.example.test', ch, ka);
      // present resolved only after its own self-check: no waiting here.
      expect(await get(ch.token)).toEqual({ status: 200, type: 'text/plain', body: ka });
      expect(commands).toEqual(['test', 'reload']);
      expect(readFileSync(snippet, 'utf8')).toContain(`return 200 "${ka}";`);
      await s.cleanup('web.example.test', ch);
      await expect.poll(async () => (await get(ch.token)).status).toBe(404);
      await s.close();
      expect(readFileSync(snippet, 'utf8')).not.toContain('location');
    });

    it('two concurrent orders: both tokens served after one coalesced reload', async () => {
      const [a, b] = [solver(), solver()];
      const [x, y] = [challenge(2), challenge(3)];
      commands.length = 0;
      await Promise.all([
        a.present('a.example.test', x.ch, x.ka),
        b.present('b.example.test', y.ch, y.ka),
      ]);
      expect(commands).toEqual(['test', 'reload']);
      expect((await get(x.ch.token)).body).toBe(x.ka);
      expect((await get(y.ch.token)).body).toBe(y.ka);
      // One order finishing leaves the other's token in place.
      await a.cleanup('a.example.test', x.ch);
      await a.close();
      await expect.poll(async () => (await get(x.ch.token)).status).toBe(404);
      expect((await get(y.ch.token)).body).toBe(y.ka);
      await b.cleanup('b.example.test', y.ch);
      await b.close();
      await expect.poll(async () => (await get(y.ch.token)).status).toBe(404);
    });

    it('refuses a malformed token from the CA before touching nginx', async () => {
      const s = solver();
      const before = readFileSync(snippet, 'utf8');
      commands.length = 0;
      const bad = 'abc"; } location / { return 302 http://evil/; } #';
      const err = await errorOf(
        s.present('web.example.test', { type: 'http-01', token: bad }, `${bad}.x`),
      );
      expect(err).toBeInstanceOf(ExternalError);
      expect(err?.message).toMatch(/malformed token/);
      expect(commands).toEqual([]);
      expect(readFileSync(snippet, 'utf8')).toBe(before);
      await s.close();
    });

    it('fails present when nginx does not serve the token where the self-check asks; close removes it', async () => {
      // A server block without the include: here, the TLS port spoken to in plain http.
      const s = nginxSolver({
        target: 'edge-nginx',
        file: snippet,
        configTest: nginx.configTestArgv,
        reload: nginx.reloadArgv,
        deployRoot: tmp.dir,
        runner,
        selfCheck: { address: '127.0.0.1', port: nginx.port, timeoutMs: 500 },
      });
      const { ch, ka } = challenge(6);
      const err = await errorOf(s.present('web.example.test', ch, ka));
      expect(err?.message).toMatch(
        /http-01 self-check for web\.example\.test: .* \(Host: web\.example\.test\) did not answer the key authorization within 0\.5s \(last: HTTP 400/,
      );
      expect(err?.hint).toMatch(/Include the challenge snippet inside the port-80 server block/);
      expect(readFileSync(snippet, 'utf8')).toContain(ch.token);
      await s.close();
      expect(readFileSync(snippet, 'utf8')).not.toContain('location');
    });

    it("a failed config test restores the previous snippet and reports nginx's message", async () => {
      const keep = challenge(4);
      const holder = solver();
      await holder.present('keep.example.test', keep.ch, keep.ka);
      const before = readFileSync(snippet, 'utf8');
      const conf = readFileSync(nginx.configFile, 'utf8');
      writeFileSync(nginx.configFile, `${conf}\nbogus_directive on;\n`); // someone broke nginx.conf
      const s = solver();
      const { ch, ka } = challenge(5);
      let err: ExternalError | undefined;
      try {
        err = await errorOf(s.present('web.example.test', ch, ka));
      } finally {
        writeFileSync(nginx.configFile, conf);
      }
      expect(err).toBeInstanceOf(ExternalError);
      expect(err?.message).toMatch(/edge-nginx: nginx configuration test .* failed/);
      expect(err?.message).toMatch(/unknown directive "bogus_directive"/);
      expect(err?.hint).toMatch(/previous challenge snippet was restored/);
      expect(readFileSync(snippet, 'utf8')).toBe(before);
      expect((await get(keep.ch.token)).body).toBe(keep.ka); // nginx kept its configuration
      expect((await get(ch.token)).status).toBe(404);
      // The refused token is forgotten: the next change does not bring it back.
      await holder.cleanup('keep.example.test', keep.ch);
      expect(readFileSync(snippet, 'utf8')).not.toContain('location');
      await s.close();
      await holder.close();
    });
  },
);
