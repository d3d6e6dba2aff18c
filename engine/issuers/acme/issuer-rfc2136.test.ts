// ACME issuance with dns-01 over RFC 2136, end to end: pebble resolves through a real bind9
// (test/bind9.ts), the issuer adds each challenge's TXT record with a TSIG-signed UPDATE, pebble
// validates it, and the record is deleted again. The TSIG secret comes from the environment
// through the real secret resolver.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import acme from 'acme-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bind9Missing, startBind9, type Bind9 } from '../../../test/bind9.ts';
import { pebbleMissing, startPebble, type Pebble } from '../../../test/pebble.ts';
import { fixedClock } from '../../clock.ts';
import { secretResolver } from '../../crypto/secret.ts';
import { fixtureKeyFactory } from '../../crypto/testing.ts';
import { ExternalError } from '../../errors.ts';
import type { AcmeIssuerSpec } from '../../model/types.generated.ts';
import { leafRequest } from '../testing.ts';
import type { IssuerContext } from '../types.ts';
import { query } from './dns/client.ts';
import { parseServer } from './dns/transport.ts';
import { TYPE } from './dns/wire.ts';
import { acmeIssuerWith } from './issuer.ts';
import { processRunner } from '../../net/command.ts';
import { REPO_ROOT } from '../../../test/helpers.ts';

const missing = pebbleMissing() ?? bind9Missing();
const provider = acmeIssuerWith({ backoffMin: 20, backoffMax: 200 });

describe.skipIf(missing !== undefined)(
  `ACME dns-01 over RFC 2136 (pebble + bind9)${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let bind: Bind9;
    let pebble: Pebble;
    let home: string;
    beforeAll(async () => {
      bind = await startBind9();
      pebble = await startPebble({ dnsServer: bind.nameserver });
      acme.axios.defaults.httpsAgent = pebble.agent;
      home = await mkdtemp(path.join(tmpdir(), 'certops-acme-rfc2136-'));
    }, 30_000);
    afterAll(async () => {
      await pebble?.stop();
      await bind?.stop();
      await rm(home, { recursive: true, force: true });
    });

    const ctx = (secret: string): IssuerContext => ({
      name: 'pebble-dns',
      spec: {
        type: 'acme',
        directoryUrl: pebble.directoryUrl,
        termsOfServiceAgreed: true,
        solvers: [
          {
            dns01: {
              rfc2136: {
                nameserver: bind.nameserver,
                tsigKeyName: bind.keyName,
                tsigAlgorithm: 'hmac-sha256',
                tsigSecret: { env: 'CERTOPS_TEST_TSIG' },
              },
              propagationTimeout: '10s',
            },
          },
        ],
      } satisfies AcmeIssuerSpec,
      home,
      clock: fixedClock(new Date()),
      secrets: secretResolver({ CERTOPS_TEST_TSIG: secret }),
    });
    const request = async (operationId: string, dnsNames: string[]) =>
      leafRequest(await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 }), {
        operationId,
        dnsNames,
        commonName: dnsNames[0] as string,
      });
    const txt = async (name: string) =>
      (
        await query(
          { server: parseServer(bind.nameserver), clock: fixedClock(new Date()) },
          name,
          TYPE.TXT,
        )
      ).answers.filter((a) => a.type === TYPE.TXT);

    it('issues a wildcard and a name in the zone, and leaves no TXT record behind', async () => {
      const got = await provider.issue(
        ctx(bind.secret),
        await request('op-rfc2136', ['*.example.test', 'www.example.test']),
      );
      expect(new X509Certificate(got.certificatePem).subjectAltName).toBe(
        'DNS:*.example.test, DNS:www.example.test',
      );
      expect(await txt('_acme-challenge.example.test')).toEqual([]);
      expect(await txt('_acme-challenge.www.example.test')).toEqual([]);
    }, 30_000);

    it('exec hook: with dns01.exec.nameserver, certops waits until the record is served', async () => {
      // The hook's DNS API publishes 1.5 s after the hook returns: without the check, pebble
      // would look before the record exists.
      const hook: [string, ...string[]] = [
        process.execPath,
        path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'),
        path.join(REPO_ROOT, 'engine/issuers/acme/dns/testdata/late-dns-hook.ts'),
      ];
      const c = ctx(bind.secret);
      const hookEnv = {
        HOOK_DNS_SERVER: bind.nameserver,
        HOOK_DNS_ZONE: 'example.test',
        HOOK_TSIG_NAME: bind.keyName,
        HOOK_TSIG_SECRET: bind.secret,
      };
      const withHook = (nameserver?: string): IssuerContext => ({
        ...c,
        name: 'pebble-exec',
        spec: {
          ...(c.spec as AcmeIssuerSpec),
          solvers: [
            {
              dns01: {
                exec: { command: hook, ...(nameserver ? { nameserver } : {}) },
                propagationTimeout: '20s',
              },
            },
          ],
        },
        runner: {
          run: (argv, o) =>
            processRunner.run(argv, { ...o, env: { ...(o?.env ?? {}), ...hookEnv } }),
        },
      });
      const started = performance.now();
      const got = await provider.issue(
        withHook(bind.nameserver),
        await request('op-exec-late', ['late.example.test']),
      );
      expect(new X509Certificate(got.certificatePem).subjectAltName).toBe('DNS:late.example.test');
      expect(performance.now() - started).toBeGreaterThan(1400);
      expect(await txt('_acme-challenge.late.example.test')).toEqual([]);
    }, 30_000);

    it('fails with BADSIG for a wrong secret, and the message holds no secret', async () => {
      const wrong = Buffer.from('a wrong secret of 32 octets!!!!!').toString('base64');
      const err = (await provider
        .issue(ctx(wrong), await request('op-rfc2136-bad', ['bad.example.test']))
        .then(
          () => undefined,
          (e: unknown) => e,
        )) as ExternalError | undefined;
      expect(err).toBeInstanceOf(ExternalError);
      expect(err?.message).toMatch(/NOTAUTH \(TSIG BADSIG\)/);
      expect(`${err?.message} ${err?.hint}`).not.toContain(wrong);
    }, 30_000);

    it('reports a secret that is not base64 by its reference', async () => {
      await expect(
        provider.issue(ctx('not base64!'), await request('op-rfc2136-b64', ['b64.example.test'])),
      ).rejects.toThrow(/Issuer "pebble-dns": dns01\.rfc2136\.tsigSecret is not base64/);
    }, 30_000);
  },
);
