// `certops apply` with http-01 answered by the nginx it deploys to, end to end: one real nginx
// listens for plain http on pebble's http-01 port (including the challenge snippet the issuer
// writes into the `edge` Target's directory) and for TLS with the certificate that Target
// deploys. apply orders from pebble, which validates through nginx; the certificate is deployed
// to the same nginx, reloaded and verified over TLS; the snippet is empty again.
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import acme from 'acme-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSnippet, SNIPPET_FILE } from '../engine/issuers/acme/nginx/snippet.ts';
import { nodeTlsProbe } from '../engine/net/tls-probe.ts';
import {
  NGINX_SKIP_REASON,
  nginxAvailable,
  startNginx,
  type NginxInstance,
} from '../engine/targets/nginx/testing.ts';
import { makeTestBundle } from '../engine/targets/testing/certs.ts';
import { runCli, scratchDir } from './helpers.ts';
import { makeLifecycleRepo, nginxTargetYaml } from './lifecycle-repo.ts';
import { pebbleMissing, startPebble, type Pebble } from './pebble.ts';

const missing = pebbleMissing() ?? (nginxAvailable() ? undefined : NGINX_SKIP_REASON);

describe.skipIf(missing !== undefined)(
  `apply with http-01 through an nginx Target${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let pebble: Pebble;
    let nginx: NginxInstance;
    let dir: string;
    let cleanup: () => Promise<void>;
    const edge = (f: string) => path.join(dir, 'deploy/nginx', f);

    beforeAll(async () => {
      pebble = await startPebble();
      acme.axios.defaults.httpsAgent = pebble.agent;
      ({ dir, cleanup } = await scratchDir('certops-acme-nginx-apply-'));
      // nginx already runs: an old certificate over TLS, the (empty) snippet included on port 80.
      const boot = await makeTestBundle({ name: 'web', dnsNames: ['web.example.com'] });
      mkdirSync(edge(''), { recursive: true });
      writeFileSync(edge('web.fullchain.pem'), boot.fullchainPem);
      writeFileSync(edge('web.key'), boot.privateKeyPem, { mode: 0o600 });
      writeFileSync(edge(SNIPPET_FILE), renderSnippet(new Map()));
      nginx = await startNginx({
        certFile: edge('web.fullchain.pem'),
        keyFile: edge('web.key'),
        http: { port: pebble.httpPort, include: edge(SNIPPET_FILE) },
      });
      await makeLifecycleRepo(dir, {
        'certs.d/platform/edge.yaml': nginxTargetYaml(nginx),
        'certs.d/platform/pebble.yaml': `apiVersion: certops/v1
kind: Issuer
metadata:
  name: pebble
spec:
  type: acme
  directoryUrl: ${pebble.directoryUrl}
  termsOfServiceAgreed: true
  solvers:
    - http01:
        nginxTarget: edge
        selfCheck: { port: ${pebble.httpPort} }
`,
        'certs.d/team/web.yaml': `apiVersion: certops/v1
kind: Certificate
metadata:
  name: web
spec:
  issuer: pebble
  dnsNames: [web.example.com, www.example.com]
  duration: 90d
  renewBefore: 30d
  deploy:
    - target: edge
`,
      });
    }, 60_000);
    afterAll(async () => {
      await nginx?.stop();
      await pebble?.stop();
      await cleanup?.();
    });

    it('issues through nginx, deploys to the same nginx and verifies over TLS', async () => {
      const env = { CERTOPS_HOME: path.join(dir, '.home') };
      const r = await runCli(['apply', '-C', dir, '--issuer', 'pebble'], { env });
      expect(r.stderr + r.stdout).not.toMatch(/✗/);
      expect(r.code).toBe(0);
      const leaf = new X509Certificate(readFileSync(edge('web.fullchain.pem'), 'utf8'));
      expect(leaf.subjectAltName).toBe('DNS:web.example.com, DNS:www.example.com');
      expect(
        await nodeTlsProbe.fingerprint('127.0.0.1', nginx.port, 'web.example.com', 2_000),
      ).toBe(leaf.fingerprint256.replaceAll(':', '').toLowerCase());
      expect(readFileSync(edge(SNIPPET_FILE), 'utf8')).not.toContain('location');
      const again = await runCli(['plan', '-C', dir, '--issuer', 'pebble'], { env });
      expect(again.stdout).toMatch(/^No changes\./m);
    }, 90_000);
  },
);
