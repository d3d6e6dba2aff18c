// ACME issuance with http-01 through an nginx Target, end to end: a real nginx listens for
// plain http on the port pebble's VA connects to (test/pebble.ts `httpPort`) and includes the
// snippet the issuer writes into the Target's directory; the issuer config-tests and reloads it
// with the Target's commands, pebble validates each token against nginx, and the snippet is
// empty again afterwards. Two orders at once share the snippet (coalesced reloads).
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import acme from 'acme-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pebbleMissing, startPebble, type Pebble } from '../../../test/pebble.ts';
import { fixedClock } from '../../clock.ts';
import { fixtureKeyFactory } from '../../crypto/testing.ts';
import type { NginxTargetSpec } from '../../model/types.generated.ts';
import {
  NGINX_SKIP_REASON,
  nginxAvailable,
  startNginx,
  type NginxInstance,
} from '../../targets/nginx/testing.ts';
import { makeTestBundle } from '../../targets/testing/certs.ts';
import { leafRequest } from '../testing.ts';
import type { IssuerContext } from '../types.ts';
import { acmeIssuerWith } from './issuer.ts';
import { renderSnippet, SNIPPET_FILE } from './nginx/snippet.ts';

const missing = pebbleMissing() ?? (nginxAvailable() ? undefined : NGINX_SKIP_REASON);
const provider = acmeIssuerWith({ backoffMin: 20, backoffMax: 200 });

describe.skipIf(missing !== undefined)(
  `ACME http-01 through an nginx Target (pebble + nginx)${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let pebble: Pebble;
    let nginx: NginxInstance;
    let root: string;
    let snippet: string;
    beforeAll(async () => {
      pebble = await startPebble();
      acme.axios.defaults.httpsAgent = pebble.agent;
      root = await mkdtemp(path.join(tmpdir(), 'certops-acme-nginx-'));
      snippet = path.join(root, 'deploy', 'edge', SNIPPET_FILE);
      await mkdir(path.dirname(snippet), { recursive: true });
      await writeFile(snippet, renderSnippet(new Map())); // the operator's one-time step
      const tls = await makeTestBundle();
      const certFile = path.join(root, 'cert.pem');
      const keyFile = path.join(root, 'key.pem');
      await writeFile(certFile, tls.fullchainPem);
      await writeFile(keyFile, tls.privateKeyPem, { mode: 0o600 });
      nginx = await startNginx({
        certFile,
        keyFile,
        http: { port: pebble.httpPort, include: snippet },
      });
    }, 30_000);
    afterAll(async () => {
      await nginx?.stop();
      await pebble?.stop();
      await rm(root, { recursive: true, force: true });
    });

    const ctx = (): IssuerContext => {
      const edge: NginxTargetSpec = {
        type: 'nginx',
        directory: 'edge',
        configTest: nginx.configTestArgv,
        reload: nginx.reloadArgv,
      };
      return {
        name: 'pebble-nginx',
        spec: {
          type: 'acme',
          directoryUrl: pebble.directoryUrl,
          termsOfServiceAgreed: true,
          solvers: [
            { http01: { nginxTarget: 'edge-nginx', selfCheck: { port: pebble.httpPort } } },
          ],
        },
        home: path.join(root, 'home'),
        clock: fixedClock(new Date()),
        deployRoot: path.join(root, 'deploy'),
        target: (name) => (name === 'edge-nginx' ? edge : undefined),
      };
    };
    const request = async (operationId: string, dnsNames: string[]) =>
      leafRequest(await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 }), {
        operationId,
        dnsNames,
        commonName: dnsNames[0] as string,
      });

    it('issues for two names; the snippet holds no challenge afterwards', async () => {
      const got = await provider.issue(
        ctx(),
        await request('op-nginx', ['web.example.com', 'www.example.com']),
      );
      const leaf = new X509Certificate(got.certificatePem);
      expect(leaf.subjectAltName).toBe('DNS:web.example.com, DNS:www.example.com');
      expect(leaf.verify(new X509Certificate(got.chainPem).publicKey)).toBe(true);
      expect(await readFile(snippet, 'utf8')).not.toContain('location');
    }, 60_000);

    it('issues two orders at once through the one shared snippet', async () => {
      const [a, b] = await Promise.all([
        provider.issue(ctx(), await request('op-nginx-a', ['a.example.com'])),
        provider.issue(ctx(), await request('op-nginx-b', ['b.example.com', 'c.example.com'])),
      ]);
      expect(new X509Certificate(a.certificatePem).subjectAltName).toBe('DNS:a.example.com');
      expect(new X509Certificate(b.certificatePem).subjectAltName).toBe(
        'DNS:b.example.com, DNS:c.example.com',
      );
      expect(await readFile(snippet, 'utf8')).not.toContain('location');
    }, 60_000);
  },
);
