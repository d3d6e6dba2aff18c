// The ACME issuer against the real pebble (test/pebble.ts): http-01 through the built-in
// responder and through a webroot, the account created once, an order resumed after a crash,
// a finished order answered from its record.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import acme from 'acme-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pebbleMissing, startPebble, type Pebble } from '../../../test/pebble.ts';
import { fixedClock } from '../../clock.ts';
import { fixtureKeyFactory } from '../../crypto/testing.ts';
import { UsageError } from '../../errors.ts';
import type { AcmeIssuerSpec } from '../../model/types.generated.ts';
import { leafRequest } from '../testing.ts';
import type { IssuerContext } from '../types.ts';
import { acmeIssuerWith } from './issuer.ts';
import { acmePaths, readOrder } from './state.ts';

const missing = pebbleMissing();
const provider = acmeIssuerWith({ backoffMin: 20, backoffMax: 200 });

describe.skipIf(missing !== undefined)(
  `ACME issuer against pebble${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let pebble: Pebble;
    let home: string;
    const ctx = (spec: Partial<AcmeIssuerSpec> = {}): IssuerContext => ({
      name: 'pebble',
      spec: {
        type: 'acme',
        directoryUrl: pebble.directoryUrl,
        email: 'pki@example.com',
        termsOfServiceAgreed: true,
        solvers: [{ http01: { port: pebble.httpPort } }],
        ...spec,
      },
      home,
      clock: fixedClock(new Date()),
    });

    beforeAll(async () => {
      pebble = await startPebble();
      acme.axios.defaults.httpsAgent = pebble.agent;
      home = await mkdtemp(path.join(tmpdir(), 'certops-acme-home-'));
    }, 30_000);
    afterAll(async () => {
      await pebble?.stop();
      await rm(home, { recursive: true, force: true });
    });

    const request = async (operationId: string, dnsNames: string[]) =>
      leafRequest(await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 }), {
        operationId,
        dnsNames,
        commonName: dnsNames[0] as string,
      });

    it('issues with http-01 on the built-in responder; the chain leads to this pebble’s root', async () => {
      const req = await request('op-http', ['web.example.com', 'www.example.com']);
      const got = await provider.issue(ctx(), req);
      const leaf = new X509Certificate(got.certificatePem);
      const inter = new X509Certificate(got.chainPem);
      expect(leaf.subjectAltName).toBe('DNS:web.example.com, DNS:www.example.com');
      expect(leaf.verify(inter.publicKey)).toBe(true);
      expect(inter.verify(new X509Certificate(pebble.roots).publicKey)).toBe(true);
      expect(leaf.publicKey.export({ format: 'der', type: 'spki' })).toEqual(
        Buffer.from(await crypto.subtle.exportKey('spki', req.key.publicKey)),
      );
      expect(got.serial).toBe(leaf.serialNumber.toLowerCase());
      // The account key is private to the home, and created once.
      const paths = acmePaths(home, 'pebble');
      expect((await stat(paths.accountKey)).mode & 0o777).toBe(0o600);
      expect(await readFile(paths.account, 'utf8')).toMatch(/"url":"https:\/\/127\.0\.0\.1:/);
    }, 30_000);

    it('answers a finished operation from its record (no second order)', async () => {
      const req = await request('op-http', ['web.example.com', 'www.example.com']);
      const before = await readOrder(acmePaths(home, 'pebble'), 'op-http');
      const again = await provider.issue(ctx(), req);
      expect(again.certificatePem).toBe(before?.certificatePem);
    });

    it('resumes the order a crashed run created instead of creating another', async () => {
      // The crashed run got as far as creating the order and recording it.
      const paths = acmePaths(home, 'pebble');
      const c = new acme.Client({
        directoryUrl: pebble.directoryUrl,
        accountKey: await readFile(paths.accountKey, 'utf8'),
        accountUrl: (JSON.parse(await readFile(paths.account, 'utf8')) as { url: string }).url,
        backoffMin: 20,
        backoffMax: 200,
      });
      const order = await c.createOrder({
        identifiers: [{ type: 'dns', value: 'resume.example.com' }],
      });
      const { writeOrder } = await import('./state.ts');
      await writeOrder(paths, {
        version: 1,
        operationId: 'op-resume',
        certificate: 'web',
        orderUrl: order.url,
      });
      const got = await provider.issue(ctx(), await request('op-resume', ['resume.example.com']));
      expect(new X509Certificate(got.certificatePem).subjectAltName).toBe('DNS:resume.example.com');
      expect((await readOrder(paths, 'op-resume'))?.orderUrl).toBe(order.url);
    }, 30_000);

    it('issues with http-01 through a webroot served by the web server', async () => {
      const webroot = await mkdtemp(path.join(tmpdir(), 'certops-webroot-'));
      const server: Server = createServer((req, res) => {
        readFile(path.join(webroot, decodeURIComponent(req.url ?? '').replace(/\.\./g, '')))
          .then((b) => res.writeHead(200).end(b))
          .catch(() => res.writeHead(404).end());
      });
      await new Promise<void>((r) => server.listen(pebble.httpPort, '127.0.0.1', r));
      try {
        const got = await provider.issue(
          ctx({ solvers: [{ http01: { webroot } }] }),
          await request('op-webroot', ['static.example.com']),
        );
        expect(new X509Certificate(got.certificatePem).subjectAltName).toBe(
          'DNS:static.example.com',
        );
        // The token file is removed again.
        expect(await readdir(path.join(webroot, '.well-known', 'acme-challenge'))).toEqual([]);
      } finally {
        await new Promise((r) => server.close(r));
        await rm(webroot, { recursive: true, force: true });
      }
    }, 30_000);

    it('issues a wildcard with dns-01 through an exec hook, and a name per solver zone', async () => {
      // The hook publishes the TXT record through challtestsrv, pebble's DNS.
      const hook = path.join(home, 'dns-hook.mjs');
      await writeFile(
        hook,
        `const [url] = process.argv.slice(2);
const e = process.env;
const route = e.CERTOPS_ACME_ACTION === 'present' ? '/set-txt' : '/clear-txt';
const body = { host: e.CERTOPS_ACME_RECORD, value: e.CERTOPS_ACME_VALUE };
const r = await fetch(url + route, { method: 'POST', body: JSON.stringify(body) });
if (!r.ok) { console.error('challtestsrv said', r.status); process.exit(2); }
`,
      );
      const spec: Partial<AcmeIssuerSpec> = {
        solvers: [
          {
            dnsZones: ['apps.example.com'],
            dns01: { exec: { command: [process.execPath, hook, pebble.dnsManagementUrl] } },
          },
          { http01: { port: pebble.httpPort } },
        ],
      };
      const got = await provider.issue(
        ctx(spec),
        await request('op-dns', ['*.apps.example.com', 'plain.example.com']),
      );
      expect(new X509Certificate(got.certificatePem).subjectAltName).toBe(
        'DNS:*.apps.example.com, DNS:plain.example.com',
      );
    }, 30_000);

    it('reports a failing dns-01 hook with its exit code and stderr', async () => {
      const spec: Partial<AcmeIssuerSpec> = {
        solvers: [
          { dns01: { exec: { command: ['/bin/sh', '-c', 'echo no credentials >&2; exit 3'] } } },
        ],
      };
      await expect(
        provider.issue(ctx(spec), await request('op-dns-fail', ['*.fail.example.com'])),
      ).rejects.toThrow(
        /dns-01 hook \/bin\/sh \(present fail\.example\.com\) exited 3: no credentials/,
      );
    }, 30_000);

    it('keeps to the issuance budget: over it, no new order until the hour has passed', async () => {
      const budgetHome = await mkdtemp(path.join(tmpdir(), 'certops-acme-budget-'));
      let now = new Date('2026-12-01T10:00:00Z');
      const budget = (): IssuerContext => ({
        ...ctx({ maxIssuancesPerHour: 2 }),
        home: budgetHome,
        clock: { now: () => now },
      });
      try {
        await provider.issue(budget(), await request('op-b1', ['b1.example.com']));
        now = new Date('2026-12-01T10:20:00Z');
        await provider.issue(budget(), await request('op-b2', ['b2.example.com']));
        now = new Date('2026-12-01T10:40:00Z');
        const third = provider.issue(budget(), await request('op-b3', ['b3.example.com']));
        await expect(third).rejects.toThrow(/budget of 2 new ACME orders per hour/);
        // A finished operation is still answered from its record.
        await expect(
          provider.issue(budget(), await request('op-b1', ['b1.example.com'])),
        ).resolves.toMatchObject({ serial: expect.any(String) });
        now = new Date('2026-12-01T11:00:01Z');
        await expect(
          provider.issue(budget(), await request('op-b3', ['b3.example.com'])),
        ).resolves.toMatchObject({ serial: expect.any(String) });
      } finally {
        await rm(budgetHome, { recursive: true, force: true });
      }
    }, 30_000);

    it('revokes through ACME with an RFC 5280 reason; the CA confirms', async () => {
      const got = await provider.issue(ctx(), await request('op-revoke', ['revoke.example.com']));
      expect((await pebble.certStatus(got.serial)).Status).toBe('Valid');
      await provider.revoke?.(ctx(), got.certificatePem, 'keyCompromise');
      const status = await pebble.certStatus(got.serial);
      expect(status.Status).toBe('Revoked');
      expect(status.Reason).toBe(1);
    }, 30_000);

    it('orders concurrently on a fresh account: one account, one shared responder, each once', async () => {
      const created = vi.spyOn(acme.Client.prototype, 'createAccount');
      try {
        const c = { ...ctx(), name: 'concurrent' };
        const reqs = await Promise.all(
          Array.from({ length: 6 }, (_, i) => request(`op-c${i}`, [`c${i}.example.com`])),
        );
        const got = await Promise.all(reqs.map((r) => provider.issue(c, r)));
        expect(got.map((g) => new X509Certificate(g.certificatePem).subjectAltName)).toEqual(
          reqs.map((_, i) => `DNS:c${i}.example.com`),
        );
        expect(new Set(got.map((g) => g.serial)).size).toBe(6);
        expect(created).toHaveBeenCalledTimes(1);
        // The responder was released: the port is free again for the next order.
        const again = await provider.issue(c, await request('op-c-next', ['c-next.example.com']));
        expect(again.serial).toMatch(/^[0-9a-f]+$/);
      } finally {
        created.mockRestore();
      }
    }, 30_000);

    it('says which name no solver covers', async () => {
      const spec = { solvers: [{ dnsZones: ['other.org'], http01: { port: pebble.httpPort } }] };
      await expect(
        provider.issue(ctx(spec), await request('op-none', ['x.example.com'])),
      ).rejects.toThrow(UsageError);
      await expect(
        provider.issue(ctx(spec), await request('op-none', ['x.example.com'])),
      ).rejects.toThrow(/no ACME solver of this release covers x\.example\.com/);
    }, 30_000);

    it('reports a challenge the CA cannot validate, with what to check', async () => {
      // A webroot nobody serves: pebble gets a refused connection.
      const webroot = await mkdtemp(path.join(tmpdir(), 'certops-webroot-'));
      try {
        await expect(
          provider.issue(
            ctx({ solvers: [{ http01: { webroot } }] }),
            await request('op-fail', ['down.example.com']),
          ),
        ).rejects.toThrow(/http-01 for down\.example\.com failed/);
      } finally {
        await rm(webroot, { recursive: true, force: true });
      }
    }, 30_000);
  },
);

describe.skipIf(missing !== undefined)(
  `ACME issuer with pebble rejecting 5% of nonces${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let pebble: Pebble;
    let home: string;
    beforeAll(async () => {
      pebble = await startPebble({ nonceReject: 5 });
      acme.axios.defaults.httpsAgent = pebble.agent;
      home = await mkdtemp(path.join(tmpdir(), 'certops-acme-nonce-'));
    }, 30_000);
    afterAll(async () => {
      await pebble?.stop();
      await rm(home, { recursive: true, force: true });
    });

    it('issues 20 certificates in a row; badNonce answers are retried', async () => {
      const ctx: IssuerContext = {
        name: 'pebble',
        spec: {
          type: 'acme',
          directoryUrl: pebble.directoryUrl,
          termsOfServiceAgreed: true,
          solvers: [{ http01: { port: pebble.httpPort } }],
        },
        home,
        clock: fixedClock(new Date()),
      };
      const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
      const serials = new Set<string>();
      let retried = 0;
      acme.setLogger((m: string) => {
        if (m.startsWith('Caught invalid nonce error')) retried++;
      });
      for (let i = 0; i < 20; i++) {
        const got = await provider.issue(
          ctx,
          leafRequest(key, { operationId: `op-${i}`, dnsNames: [`n${i}.example.com`] }),
        );
        serials.add(got.serial);
      }
      acme.setLogger(() => {});
      expect(serials.size).toBe(20);
      // ~160 signed requests at 5 %: pebble rejected some (P(none) < 0.1 %), all were retried.
      expect(retried).toBeGreaterThan(0);
    }, 60_000);
  },
);

describe.skipIf(missing !== undefined)(
  `ACME issuer with External Account Binding${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    const eab = {
      kid: 'kid-1',
      hmacKey: 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W',
    };
    let pebble: Pebble;
    let home: string;
    beforeAll(async () => {
      pebble = await startPebble({ eab });
      acme.axios.defaults.httpsAgent = pebble.agent;
      home = await mkdtemp(path.join(tmpdir(), 'certops-acme-eab-'));
    }, 30_000);
    afterAll(async () => {
      await pebble?.stop();
      await rm(home, { recursive: true, force: true });
    });
    const ctx = (spec: Partial<AcmeIssuerSpec>): IssuerContext => ({
      name: 'eab',
      spec: {
        type: 'acme',
        directoryUrl: pebble.directoryUrl,
        termsOfServiceAgreed: true,
        solvers: [{ http01: { port: pebble.httpPort } }],
        ...spec,
      },
      home,
      clock: fixedClock(new Date()),
      secrets: async (ref) => {
        if ('env' in ref && ref.env === 'EAB_HMAC') return eab.hmacKey;
        throw new UsageError(`unknown secret ${JSON.stringify(ref)}`);
      },
    });

    it('is refused an account without the binding, and gets one with it', async () => {
      const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
      await expect(
        provider.issue(ctx({}), leafRequest(key, { operationId: 'op-no-eab' })),
      ).rejects.toThrow(/ACME account for Issuer "eab": .*externalAccountBinding/);
      const got = await provider.issue(
        ctx({ externalAccountBinding: { keyId: eab.kid, hmacKey: { env: 'EAB_HMAC' } } }),
        leafRequest(key, { operationId: 'op-eab' }),
      );
      expect(new X509Certificate(got.certificatePem).subjectAltName).toBe('DNS:web.example.com');
    }, 30_000);
  },
);
