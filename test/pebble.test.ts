// The ACME test harness against the real pebble: an account, an order, http-01 answered on
// pebble's validation port and dns-01 through challtestsrv, the chain checked against the root
// fetched from this run's pebble. The ACME issuer's tests build on this harness.
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import acme from 'acme-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pebbleMissing, startPebble, type Pebble } from './pebble.ts';

const missing = pebbleMissing();

describe.skipIf(missing !== undefined)(
  `ACME against pebble${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let pebble: Pebble;
    let responder: Server;
    const tokens = new Map<string, string>();

    beforeAll(async () => {
      pebble = await startPebble();
      acme.axios.defaults.httpsAgent = pebble.agent;
      responder = createServer((req, res) => {
        const token = req.url?.replace('/.well-known/acme-challenge/', '') ?? '';
        const body = tokens.get(token);
        res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' });
        res.end(body ?? 'not found');
      });
      await new Promise<void>((r) => responder.listen(pebble.httpPort, '127.0.0.1', r));
    }, 30_000);

    afterAll(async () => {
      await new Promise((r) => responder?.close(r));
      await pebble?.stop();
    });

    const client = async () =>
      new acme.Client({
        directoryUrl: pebble.directoryUrl,
        accountKey: await acme.crypto.createPrivateEcdsaKey(),
        backoffMin: 20,
        backoffMax: 200,
      });

    function chainOk(pem: string, name: string): void {
      const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
      expect(blocks?.length).toBeGreaterThanOrEqual(2);
      const [leaf, intermediate] = (blocks ?? []).map((b) => new X509Certificate(b));
      const root = new X509Certificate(pebble.roots);
      expect(leaf?.subjectAltName).toContain(`DNS:${name}`);
      expect(leaf?.checkIssued(intermediate as X509Certificate)).toBe(true);
      expect(leaf?.verify((intermediate as X509Certificate).publicKey)).toBe(true);
      expect(intermediate?.verify(root.publicKey)).toBe(true);
    }

    /** acme-client's auto() for one name and one challenge type, as the harness's users run it. */
    const issue = async (
      name: string,
      type: 'http-01' | 'dns-01',
      create: acme.ClientAutoOptions['challengeCreateFn'],
      remove: acme.ClientAutoOptions['challengeRemoveFn'],
    ): Promise<string> => {
      const [, csr] = await acme.crypto.createCsr({ commonName: name });
      return (await client()).auto({
        csr,
        email: 'pki@example.com',
        termsOfServiceAgreed: true,
        skipChallengeVerification: true, // its own pre-check would resolve names on the host's DNS
        challengePriority: [type],
        challengeCreateFn: create,
        challengeRemoveFn: remove,
      });
    };

    it('issues with http-01 answered on the validation port', async () => {
      const cert = await issue(
        'web.example.com',
        'http-01',
        async (_authz, challenge, keyAuthorization) => {
          tokens.set(challenge.token, keyAuthorization);
        },
        async (_authz, challenge) => {
          tokens.delete(challenge.token);
        },
      );
      chainOk(cert, 'web.example.com');
      expect(tokens.size).toBe(0);
    }, 30_000);

    it('issues a wildcard with dns-01 through challtestsrv', async () => {
      const cert = await issue(
        '*.apps.example.com',
        'dns-01',
        async (authz, _challenge, keyAuthorization) => {
          await pebble.setTxt(`_acme-challenge.${authz.identifier.value}.`, keyAuthorization);
        },
        async (authz) => {
          await pebble.clearTxt(`_acme-challenge.${authz.identifier.value}.`);
        },
      );
      chainOk(cert, '*.apps.example.com');
    }, 30_000);

    it('refuses an http-01 challenge nobody answers, with the CA problem document', async () => {
      const run = issue(
        'nobody.example.com',
        'http-01',
        async () => {},
        async () => {},
      );
      await expect(run).rejects.toThrow(/404|unauthorized|invalid/i);
    }, 30_000);
  },
);
