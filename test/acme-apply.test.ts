// `certops apply` with an ACME issuer, end to end against the real pebble: a certificate from
// an Issuer of type acme (http-01 through the built-in responder, and through a webroot under
// the deploy root) is ordered, deployed to a file target, verified and recorded; the next plan
// has nothing to do.
import { X509Certificate } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { get as httpsGet } from 'node:https';
import path from 'node:path';
import acme from 'acme-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { REPO_ROOT, runCli, scratchDir } from './helpers.ts';
import { git, makeLifecycleRepo } from './lifecycle-repo.ts';
import { certIdOf } from '../engine/issuers/acme/ari.ts';
import { pebbleMissing, pebbleStandIn, startPebble, type Pebble, type StandIn } from './pebble.ts';

const missing = pebbleMissing();

const acmeIssuer = (directoryUrl: string, solver: string): string => `apiVersion: certops/v1
kind: Issuer
metadata:
  name: pebble
spec:
  type: acme
  directoryUrl: ${directoryUrl}
  email: pki@example.com
  termsOfServiceAgreed: true
  solvers:
    - http01: ${solver}
`;

const certificate = (name: string, dns: string): string => `apiVersion: certops/v1
kind: Certificate
metadata:
  name: ${name}
spec:
  issuer: pebble
  dnsNames: [${dns}]
  duration: 90d
  renewBefore: 30d
  deploy:
    - target: files
`;

describe.skipIf(missing !== undefined)(
  `apply with an ACME issuer against pebble${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let pebble: Pebble;
    let dir: string;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      pebble = await startPebble();
      acme.axios.defaults.httpsAgent = pebble.agent;
      ({ dir, cleanup } = await scratchDir('certops-acme-apply-'));
    }, 30_000);
    afterAll(async () => {
      await pebble?.stop();
      await cleanup?.();
    });

    /** pebble's API certificate as a file, for a child process (NODE_EXTRA_CA_CERTS). */
    async function writeCa(repo: string): Promise<string> {
      const file = path.join(repo, '.home-pebble-api.pem');
      await writeFile(file, pebble.apiCa);
      return file;
    }

    async function applyAndCheck(repo: string, name: string, dns: string): Promise<void> {
      const env = { CERTOPS_HOME: path.join(repo, '.home') };
      const r = await runCli(['apply', '-C', repo, '--issuer', 'pebble'], { env });
      expect(r.stderr + r.stdout).not.toMatch(/✗/);
      expect(r.code).toBe(0);
      const leaf = new X509Certificate(
        await readFile(path.join(repo, `deploy/files/${name}.crt`), 'utf8'),
      );
      const chain = new X509Certificate(
        await readFile(path.join(repo, `deploy/files/${name}.chain.pem`), 'utf8'),
      );
      expect(leaf.subjectAltName).toBe(`DNS:${dns}`);
      expect(leaf.verify(chain.publicKey)).toBe(true);
      expect(chain.verify(new X509Certificate(pebble.roots).publicKey)).toBe(true);
      const status = await runCli(['status', '-C', repo, '--json'], { env });
      const rows = JSON.parse(status.stdout) as {
        certificates: { name: string; serial: string }[];
      };
      const rec = rows.certificates.find((c) => c.name === name);
      expect(rec?.serial).toBe(leaf.serialNumber.toLowerCase());
      const again = await runCli(['plan', '-C', repo, '--issuer', 'pebble'], { env });
      expect(again.stdout).toMatch(/^No changes\./m);
      expect(again.code).toBe(0);
    }

    it('issues through the built-in http-01 responder, deploys, verifies and records', async () => {
      const repo = path.join(dir, 'port');
      await makeLifecycleRepo(repo, {
        'certs.d/platform/pebble.yaml': acmeIssuer(
          pebble.directoryUrl,
          `{ port: ${pebble.httpPort} }`,
        ),
        'certs.d/team/web.yaml': certificate('web', 'web.example.com'),
      });
      await applyAndCheck(repo, 'web', 'web.example.com');
    }, 60_000);

    it('killed right after the order is journaled, a re-run completes the same order', async () => {
      const repo = path.join(dir, 'crash');
      await makeLifecycleRepo(repo, {
        'certs.d/platform/pebble.yaml': acmeIssuer(
          pebble.directoryUrl,
          `{ port: ${pebble.httpPort} }`,
        ),
        'certs.d/team/crash.yaml': certificate('crash', 'crash.example.com'),
      });
      const env = { CERTOPS_HOME: path.join(repo, '.home') };
      // A real process, killed with SIGKILL by the fault-injection hook after the commit of
      // the `ordered` step (the CA has the order; nothing is issued yet).
      const killed = spawnSync(
        process.execPath,
        [path.join(REPO_ROOT, 'bin/certops.js'), 'apply', '-C', repo, '--issuer', 'pebble'],
        {
          env: {
            ...process.env,
            ...env,
            CERTOPS_CRASH_AFTER: 'ordered',
            NODE_EXTRA_CA_CERTS: await writeCa(repo),
          },
          encoding: 'utf8',
        },
      );
      expect(killed.signal).toBe('SIGKILL');
      const orderUrl = /Certops-Order: (\S+)/.exec(
        git(repo, 'log', 'certops/state', '--format=%B'),
      )?.[1];
      expect(orderUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/my-order\//);
      await applyAndCheck(repo, 'crash', 'crash.example.com');
      // The same order finished: its URL is the one recorded before the kill, once.
      const log = git(repo, 'log', 'certops/state', '--format=%B');
      expect([...log.matchAll(/Certops-Step: ordered/g)]).toHaveLength(1);
      expect(log).toContain(`Certops-Order: ${orderUrl}`);
    }, 60_000);

    it('issues through a webroot under the deploy root, served by the web server', async () => {
      const repo = path.join(dir, 'webroot');
      await makeLifecycleRepo(repo, {
        'certs.d/platform/pebble.yaml': acmeIssuer(
          pebble.directoryUrl,
          '{ webroot: deploy/acme-webroot }',
        ),
        'certs.d/team/static.yaml': certificate('static', 'static.example.com'),
      });
      const webroot = path.join(repo, 'deploy/acme-webroot');
      const server: Server = createServer((req, res) => {
        const file = path.join(webroot, path.normalize(decodeURIComponent(req.url ?? '/')));
        if (!file.startsWith(webroot)) return void res.writeHead(403).end();
        readFile(file)
          .then((b) => res.writeHead(200).end(b))
          .catch(() => res.writeHead(404).end());
      });
      await new Promise<void>((r) => server.listen(pebble.httpPort, '127.0.0.1', r));
      try {
        await applyAndCheck(repo, 'static', 'static.example.com');
        expect(await readdir(path.join(webroot, '.well-known/acme-challenge'))).toEqual([]);
      } finally {
        await new Promise((r) => server.close(r));
      }
    }, 60_000);
  },
);

describe.skipIf(missing !== undefined)(
  `ACME Renewal Information from a loopback stand-in${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    // pebble 2.4 has no renewalInfo: the stand-in serves pebble's directory with renewalInfo
    // added (every other URL still points at pebble) and answers windows the test sets.
    let pebble: Pebble;
    let standin: StandIn;
    let standinUrl: string;
    let window: { start: string; end: string } | undefined;
    const asked: string[] = [];
    let dir: string;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      pebble = await startPebble();
      acme.axios.defaults.httpsAgent = pebble.agent;
      ({ dir, cleanup } = await scratchDir('certops-acme-ari-'));
      standin = await pebbleStandIn(pebble, (req, res) => {
        if (req.url === '/dir') {
          fetchJson(pebble.directoryUrl, pebble).then(
            (d) => {
              res.writeHead(200, { 'content-type': 'application/json' });
              const dir = d as { meta?: object };
              res.end(
                JSON.stringify({
                  ...dir,
                  renewalInfo: `${standinUrl}/renewalInfo`,
                  meta: { ...dir.meta, profiles: { classic: 'the default', shortlived: '7 days' } },
                }),
              );
            },
            () => res.writeHead(502).end(),
          );
          return;
        }
        const m = /^\/renewalInfo\/([\w.-]+)$/.exec(req.url ?? '');
        if (m?.[1] && window) {
          asked.push(m[1]);
          res.writeHead(200, { 'content-type': 'application/json', 'retry-after': '21600' });
          res.end(JSON.stringify({ suggestedWindow: window }));
          return;
        }
        res.writeHead(404).end();
      });
      standinUrl = standin.url;
    }, 30_000);
    afterAll(async () => {
      await standin?.close();
      await pebble?.stop();
      await cleanup?.();
    });

    it('asks for the Issuer’s ACME profile when the CA offers it, and names the offered ones when not', async () => {
      const repo = path.join(dir, 'profile');
      await makeLifecycleRepo(repo, {
        'certs.d/platform/pebble.yaml':
          acmeIssuer(`${standinUrl}/dir`, `{ port: ${pebble.httpPort} }`) +
          '  profile: shortlived\n',
        'certs.d/team/short.yaml': certificate('short', 'short.example.com'),
      });
      const env = { CERTOPS_HOME: path.join(repo, '.home') };
      const { result: r, orders } = await ordersDuring(() =>
        runCli(['apply', '-C', repo, '--issuer', 'pebble'], { env }),
      );
      expect(r.stderr + r.stdout).not.toMatch(/✗/);
      expect(r.code).toBe(0);
      expect(orders).toEqual([
        { identifiers: [{ type: 'dns', value: 'short.example.com' }], profile: 'shortlived' },
      ]);

      // A certificate's acmeProfile overrides the Issuer's.
      const own = path.join(dir, 'profile-own');
      await makeLifecycleRepo(own, {
        'certs.d/platform/pebble.yaml':
          acmeIssuer(`${standinUrl}/dir`, `{ port: ${pebble.httpPort} }`) +
          '  profile: shortlived\n',
        'certs.d/team/classic.yaml':
          certificate('classic', 'classic.example.com') + '  acmeProfile: classic\n',
      });
      const { result: ownResult, orders: ownOrders } = await ordersDuring(() =>
        runCli(['apply', '-C', own, '--issuer', 'pebble'], {
          env: { CERTOPS_HOME: path.join(own, '.home') },
        }),
      );
      expect(ownResult.code).toBe(0);
      expect(ownOrders).toEqual([
        { identifiers: [{ type: 'dns', value: 'classic.example.com' }], profile: 'classic' },
      ]);

      const bad = path.join(dir, 'profile-bad');
      await makeLifecycleRepo(bad, {
        'certs.d/platform/pebble.yaml':
          acmeIssuer(`${standinUrl}/dir`, `{ port: ${pebble.httpPort} }`) + '  profile: nope\n',
        'certs.d/team/short.yaml': certificate('short', 'short.example.com'),
      });
      const refused = await runCli(['apply', '-C', bad, '--issuer', 'pebble'], {
        env: { CERTOPS_HOME: path.join(bad, '.home') },
      });
      expect(refused.code).toBe(7);
      expect(refused.stdout + refused.stderr).toMatch(
        /asks for ACME profile "nope", which the CA does not offer/,
      );
    }, 60_000);

    it('renews inside the CA’s window, and not at renewBefore when the window is later', async () => {
      const repo = path.join(dir, 'ari');
      await makeLifecycleRepo(repo, {
        'certs.d/platform/pebble.yaml': acmeIssuer(
          `${standinUrl}/dir`,
          `{ port: ${pebble.httpPort} }`,
        ),
        'certs.d/team/ari.yaml': certificate('ari', 'ari.example.com'),
      });
      const env = { CERTOPS_HOME: path.join(repo, '.home') };
      expect((await runCli(['apply', '-C', repo, '--issuer', 'pebble'], { env })).code).toBe(0);
      const leafPem = await readFile(path.join(repo, 'deploy/files/ari.crt'), 'utf8');
      const day = 86_400_000;
      const now = Date.now();

      // The CA wants it renewed now: plan renews, citing ARI, long before renewBefore.
      window = {
        start: new Date(now - 2 * 3600_000).toISOString(),
        end: new Date(now - 60_000).toISOString(),
      };
      const due = await runCli(['plan', '-C', repo, '--issuer', 'pebble'], { env });
      expect(due.code).toBe(2);
      expect(due.stdout).toMatch(/\^ renew +ari[\s\S]*the CA suggests renewing between/);
      expect(asked.at(-1)).toBe(certIdOf(leafPem));

      // apply renews now, and tells the CA which certificate the new order replaces (RFC 9773).
      const { result: renewed, orders } = await ordersDuring(() =>
        runCli(['apply', '-C', repo, '--issuer', 'pebble'], { env }),
      );
      expect(renewed.code).toBe(0);
      expect(orders).toEqual([
        { identifiers: [{ type: 'dns', value: 'ari.example.com' }], replaces: certIdOf(leafPem) },
      ]);
      const renewedPem = await readFile(path.join(repo, 'deploy/files/ari.crt'), 'utf8');
      expect(new X509Certificate(renewedPem).serialNumber).not.toBe(
        new X509Certificate(leafPem).serialNumber,
      );
      const afterRenewal = renewedPem;

      // 20 days before expiry renewBefore (30d) would renew; a CA window 10 days before expiry
      // holds it back. (pebble's certificates live five years.)
      const notAfter = Date.parse(new X509Certificate(afterRenewal).validTo);
      window = {
        start: new Date(notAfter - 10 * day).toISOString(),
        end: new Date(notAfter - 9 * day).toISOString(),
      };
      const later = new Date(notAfter - 20 * day).toISOString();
      const held = await runCli(['--now', later, 'plan', '-C', repo, '--issuer', 'pebble'], {
        env,
      });
      expect(held.stdout).toMatch(/^No changes\./m);
      expect(held.code).toBe(0);

      // Without an answer from the CA, renewBefore applies, and the plan says why.
      window = undefined;
      const fallback = await runCli(['--now', later, 'plan', '-C', repo, '--issuer', 'pebble'], {
        env,
      });
      expect(fallback.stdout).toMatch(
        /note: ari: renewal information from Issuer "pebble": .*renewBefore/,
      );
      expect(fallback.stdout).toMatch(/\^ renew +ari[\s\S]*window opened/);
      expect(fallback.code).toBe(2);
    }, 60_000);
  },
);

/**
 * Runs `fn`, recording the payload of every new ACME order it makes. Only observable on the
 * client side: pebble's newOrder sits behind JWS, so a stand-in cannot read it.
 */
async function ordersDuring<T>(fn: () => Promise<T>): Promise<{ result: T; orders: unknown[] }> {
  const orders: unknown[] = [];
  const original = acme.Client.prototype.createOrder;
  const spy = vi.spyOn(acme.Client.prototype, 'createOrder').mockImplementation(async function (
    this: acme.Client,
    data,
  ) {
    orders.push(data);
    return original.call(this, data);
  });
  try {
    return { result: await fn(), orders };
  } finally {
    spy.mockRestore();
  }
}

function fetchJson(url: string, p: Pebble): Promise<unknown> {
  return new Promise((resolve, reject) => {
    httpsGet(url, { agent: p.agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}
