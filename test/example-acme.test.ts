// The example repository's ACME certificates, issued as CI would: a committed copy of the
// example with the shipped policies, the real pebble resolving through a real bind9 that serves
// example.com and example.internal, and the real CLI in a child process. Only what is
// environment-specific is rewritten: the Issuers' directoryUrl, the rfc2136 nameserver and the
// TSIG key's name as this bind9 knows it; the TSIG secret comes from the environment. `login` (letsencrypt) is validated with
// http-01 through the webroot under the deploy root, served on pebble's http-01 port by a small
// static server as the web server would; `preview-wildcard` (internal-acme) with dns-01, its
// TXT record written to bind9 by RFC 2136 update and deleted afterwards.
import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { fixedClock } from '../engine/clock.ts';
import { query } from '../engine/issuers/acme/dns/client.ts';
import { TYPE } from '../engine/issuers/acme/dns/wire.ts';
import { bind9Missing, startBind9, type Bind9 } from './bind9.ts';
import { REPO_ROOT } from './helpers.ts';
import { exampleRepoCopy, git } from './lifecycle-repo.ts';
import { pebbleMissing, startPebble, type Pebble } from './pebble.ts';

const run = promisify(execFile);
const missing = pebbleMissing() ?? bind9Missing();

const ISSUERS = 'certs.d/platform/issuers';
const WILDCARD_TXT = '_acme-challenge.preview.apps.example.internal';

/** The example's Issuer file with `edits` (path → value) applied, comments kept. */
async function rewritten(file: string, edits: [(string | number)[], unknown][]): Promise<string> {
  const doc = parseDocument(await readFile(path.join(REPO_ROOT, file), 'utf8'));
  for (const [at, value] of edits) {
    if (!doc.hasIn(at)) throw new Error(`${file}: no ${at.join('.')} to rewrite`);
    doc.setIn(at, value);
  }
  return doc.toString();
}

/** PEM blocks of a bundle, in order. */
const pems = (text: string): string[] =>
  text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];

describe.skipIf(missing !== undefined)(
  `the example's ACME certificates issued by pebble: http-01 webroot and dns-01 through bind9${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let bind: Bind9;
    let pebble: Pebble;
    let webroot: Server;
    let repo: string;
    let env: Record<string, string>;
    let cleanup: (() => Promise<void>) | undefined;
    const results: Record<string, { code: number; out: string }> = {};

    /** The real CLI in a child process, as CI runs it; exit code and all output. */
    const certops = async (
      ...args: string[]
    ): Promise<{ code: number; stdout: string; out: string }> => {
      const r = await run(process.execPath, [path.join(REPO_ROOT, 'bin/certops.js'), ...args], {
        cwd: repo,
        env: { ...process.env, ...env },
        maxBuffer: 16 * 1024 * 1024,
      }).then(
        (ok) => ({ code: 0, stdout: ok.stdout, out: ok.stdout + ok.stderr }),
        (e: { code?: number; stdout?: string; stderr?: string }) => ({
          code: typeof e.code === 'number' ? e.code : -1,
          stdout: e.stdout ?? '',
          out: `${e.stdout ?? ''}${e.stderr ?? ''}`,
        }),
      );
      return r;
    };
    const dns = (name: string, type: number) =>
      query(
        { server: { host: '127.0.0.1', port: bind.port }, clock: fixedClock(new Date()) },
        name,
        type,
      );

    beforeAll(async () => {
      bind = await startBind9(['example.com', 'example.internal']);
      pebble = await startPebble({ dnsServer: bind.nameserver });
      const copy = await exampleRepoCopy('certops-example-acme-', {
        policies: true,
        extra: {
          '.gitignore': 'deploy/\n',
          [`${ISSUERS}/letsencrypt.yaml`]: await rewritten(`${ISSUERS}/letsencrypt.yaml`, [
            [['spec', 'directoryUrl'], pebble.directoryUrl],
          ]),
          [`${ISSUERS}/internal-acme.yaml`]: await rewritten(`${ISSUERS}/internal-acme.yaml`, [
            [['spec', 'directoryUrl'], pebble.directoryUrl],
            [['spec', 'solvers', 0, 'dns01', 'rfc2136', 'nameserver'], bind.nameserver],
            [['spec', 'solvers', 0, 'dns01', 'rfc2136', 'tsigKeyName'], bind.keyName],
          ]),
        },
        message: 'example repository, pointed at this run’s pebble and bind9',
      });
      repo = copy.repo;
      cleanup = copy.cleanup;
      const caFile = path.join(path.dirname(repo), 'pebble-api.pem');
      await writeFile(caFile, pebble.apiCa);
      env = {
        ...copy.env,
        CERTOPS_DEPLOY_ROOT: repo,
        NODE_EXTRA_CA_CERTS: caFile,
        CERTOPS_TSIG_SECRET: bind.secret,
      };
      // The web server in front of login.example.com serves the webroot under the deploy root.
      const root = path.join(repo, 'deploy/acme-webroot');
      webroot = createServer((req, res) => {
        const file = path.join(root, path.normalize(decodeURIComponent(req.url ?? '/')));
        if (!file.startsWith(`${root}${path.sep}`)) return void res.writeHead(403).end();
        readFile(file).then(
          (b) => res.writeHead(200, { 'content-type': 'text/plain' }).end(b),
          () => res.writeHead(404).end(),
        );
      });
      await new Promise<void>((r) => webroot.listen(pebble.httpPort, '127.0.0.1', r));
      results.http01 = await certops('apply', '--issuer', 'letsencrypt');
      results.dns01 = await certops('apply', '--issuer', 'internal-acme');
    }, 120_000);
    afterAll(async () => {
      await new Promise((r) => (webroot ? webroot.close(r) : r(undefined)));
      await pebble?.stop();
      await bind?.stop();
      await cleanup?.();
    });

    it('applies both ACME issuers with exit 0', () => {
      for (const r of Object.values(results)) {
        expect(r.out).not.toMatch(/✗/);
        expect(r.code, r.out).toBe(0);
      }
      expect(results.http01?.out).toMatch(/\blogin\b/);
      expect(results.dns01?.out).toMatch(/\bpreview-wildcard\b/);
    });

    it('deploys login (http-01) through the identity hook, chained to pebble’s root', async () => {
      const [leaf, ...chain] = pems(
        await readFile(path.join(repo, 'deploy/identity/login.pem'), 'utf8'),
      );
      expect(leaf).toBeDefined();
      const cert = new X509Certificate(leaf as string);
      expect(cert.subjectAltName).toBe('DNS:login.example.com, DNS:auth.example.com');
      expectChainsToPebble(cert, chain);
      // The challenge files are gone from the webroot.
      expect(
        await readdir(path.join(repo, 'deploy/acme-webroot/.well-known/acme-challenge')),
      ).toEqual([]);
    });

    it('deploys preview-wildcard (dns-01) to the platform files, key mode 0600', async () => {
      const file = (ext: string) => path.join(repo, `deploy/platform/preview-wildcard.${ext}`);
      const cert = new X509Certificate(await readFile(file('crt'), 'utf8'));
      expect(cert.subjectAltName).toBe('DNS:*.preview.apps.example.internal');
      expectChainsToPebble(cert, pems(await readFile(file('chain.pem'), 'utf8')));
      expect(pems(await readFile(file('fullchain.pem'), 'utf8'))[0]).toBe(cert.toString());
      expect((await stat(file('key'))).mode & 0o777).toBe(0o600);
      expect(cert.checkPrivateKey(createPrivateKey(await readFile(file('key'), 'utf8')))).toBe(
        true,
      );
    });

    it('records both on the state branch, and the next plan has nothing to do for them', async () => {
      for (const [name, file] of [
        ['login', 'deploy/identity/login.pem'],
        ['preview-wildcard', 'deploy/platform/preview-wildcard.crt'],
      ] as const) {
        const rec = JSON.parse(git(repo, 'show', `certops/state:inventory/${name}.json`)) as {
          serial: string;
          fingerprintSha256: string;
        };
        const cert = new X509Certificate(
          pems(await readFile(path.join(repo, file), 'utf8'))[0] as string,
        );
        expect(rec.serial).toBe(cert.serialNumber.toLowerCase());
        expect(rec.fingerprintSha256).toBe(cert.fingerprint256.replaceAll(':', '').toLowerCase());
      }
      const plan = await certops('plan', '--json');
      expect(plan.code).toBe(2);
      // The private-CA certificates were not applied here and are still planned; these are not.
      const changes = (JSON.parse(plan.stdout) as { changes: { certificate: string }[] }).changes;
      expect(changes.length).toBeGreaterThan(0);
      expect(changes.map((c) => c.certificate)).not.toContain('login');
      expect(changes.map((c) => c.certificate)).not.toContain('preview-wildcard');
      const acme = await certops('plan', 'login', 'preview-wildcard');
      expect(acme.out).toMatch(/^No changes\./m);
      expect(acme.code).toBe(0);
    }, 60_000);

    it('left no TXT record in bind9, after adding and deleting one by RFC 2136', async () => {
      const txt = (await dns(WILDCARD_TXT, TYPE.TXT)).answers.filter((a) => a.type === TYPE.TXT);
      expect(txt).toEqual([]);
      // Each dynamic update bumps the zone's serial (1 as loaded): one add, one delete at least.
      const soa = (await dns('example.internal', TYPE.SOA)).answers.find(
        (a) => a.type === TYPE.SOA,
      );
      expect(soa?.soa?.serial).toBeGreaterThanOrEqual(3);
      // example.com, validated over http-01, was never updated.
      const com = (await dns('example.com', TYPE.SOA)).answers.find((a) => a.type === TYPE.SOA);
      expect(com?.soa?.serial).toBe(1);
    });

    function expectChainsToPebble(leaf: X509Certificate, chain: string[]): void {
      expect(chain.length).toBeGreaterThan(0);
      const certs = [leaf, ...chain.map((p) => new X509Certificate(p))];
      for (let i = 0; i + 1 < certs.length; i++)
        expect(certs[i]?.verify((certs[i + 1] as X509Certificate).publicKey)).toBe(true);
      const root = new X509Certificate(pebble.roots);
      expect(certs.at(-1)?.verify(root.publicKey)).toBe(true);
    }
  },
);
