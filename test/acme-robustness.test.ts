// An ACME server that says "not now", and challenges that fail, through `certops apply` against
// the real pebble. A loopback stand-in serves pebble's directory with newNonce pointing at
// itself, so it can answer 503/429 with Retry-After (unsigned requests; every signed request
// still goes to pebble): a short Retry-After is waited out; a rate limit of an hour fails the
// certificate at once and it backs off (journaled `issue-failed`), until `--retry-now`. A
// challenge the CA cannot validate backs off too, doubling, and says what the CA said.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import path from 'node:path';
import acme from 'acme-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './helpers.ts';
import { git, makeLifecycleRepo } from './lifecycle-repo.ts';
import { pebbleMissing, pebbleStandIn, startPebble, type Pebble, type StandIn } from './pebble.ts';

const missing = pebbleMissing();

const issuer = (directoryUrl: string, port: number): string => `apiVersion: certops/v1
kind: Issuer
metadata:
  name: pebble
spec:
  type: acme
  directoryUrl: ${directoryUrl}
  termsOfServiceAgreed: true
  solvers:
    - http01: { port: ${port} }
`;

const certificate = (name: string): string => `apiVersion: certops/v1
kind: Certificate
metadata:
  name: ${name}
spec:
  issuer: pebble
  dnsNames: [${name}.example.com]
  deploy:
    - target: files
`;

function fetchText(
  url: string,
  p: Pebble,
  method = 'GET',
): Promise<{ headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: p.agent, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The journal events of the certificate's (only) operation on the state branch. */
function events(repo: string, cert: string): { step: string; detail?: Record<string, string> }[] {
  const files = git(repo, 'ls-tree', '-r', '--name-only', 'certops/state').split('\n');
  const f = files.find((x) => x.startsWith(`journal/${cert}-`));
  if (!f) return [];
  return (
    JSON.parse(git(repo, 'show', `certops/state:${f}`)) as {
      events: { step: string; detail?: Record<string, string> }[];
    }
  ).events;
}

describe.skipIf(missing !== undefined)(
  `ACME robustness through apply${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let pebble: Pebble;
    let standin: StandIn;
    let standinUrl: string;
    /** What the stand-in answers newNonce with, while set: [status, retry-after]. */
    let refuse: { status: number; retryAfter: string; times: number } | undefined;
    const refused: number[] = [];
    let dir: string;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      pebble = await startPebble();
      acme.axios.defaults.httpsAgent = pebble.agent;
      ({ dir, cleanup } = await scratchDir('certops-acme-robust-'));
      const directory = JSON.parse((await fetchText(pebble.directoryUrl, pebble)).body) as {
        newNonce: string;
      };
      standin = await pebbleStandIn(pebble, (req, res) => {
        if (req.url === '/dir') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ...directory, newNonce: `${standinUrl}/nonce` }));
          return;
        }
        if (req.url === '/nonce') {
          if (refuse && refuse.times > 0) {
            refuse.times--;
            refused.push(refuse.status);
            res.writeHead(refuse.status, {
              'content-type': 'application/problem+json',
              'retry-after': refuse.retryAfter,
            });
            res.end(
              JSON.stringify({
                type: `urn:ietf:params:acme:error:${refuse.status === 429 ? 'rateLimited' : 'serverInternal'}`,
                detail: refuse.status === 429 ? 'too many new orders recently' : 'try later',
              }),
            );
            return;
          }
          fetchText(directory.newNonce, pebble, 'HEAD').then(
            (r) => {
              res.writeHead(200, { 'replay-nonce': String(r.headers['replay-nonce']) });
              res.end();
            },
            () => res.writeHead(502).end(),
          );
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

    it('waits out a 503 with a short Retry-After, then issues', async () => {
      const repo = path.join(dir, 'unavailable');
      await makeLifecycleRepo(repo, {
        'certs.d/platform/pebble.yaml': issuer(`${standinUrl}/dir`, pebble.httpPort),
        'certs.d/team/busy.yaml': certificate('busy'),
      });
      refuse = { status: 503, retryAfter: '1', times: 1 };
      refused.length = 0;
      const started = performance.now();
      const r = await runCli(['apply', '-C', repo, '--issuer', 'pebble'], {
        env: { CERTOPS_HOME: path.join(repo, '.home') },
      });
      expect(r.stdout + r.stderr).not.toMatch(/✗/);
      expect(r.code).toBe(0);
      expect(refused).toEqual([503]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
      const cert = new X509Certificate(await readFile(path.join(repo, 'deploy/files/busy.crt')));
      expect(cert.subjectAltName).toBe('DNS:busy.example.com');
    }, 30_000);

    it('fails fast on an hour-long rate limit; the certificate backs off until --retry-now', async () => {
      const repo = path.join(dir, 'limited');
      await makeLifecycleRepo(repo, {
        'certs.d/platform/pebble.yaml': issuer(`${standinUrl}/dir`, pebble.httpPort),
        'certs.d/team/limited.yaml': certificate('limited'),
      });
      const env = { CERTOPS_HOME: path.join(repo, '.home') };
      refuse = { status: 429, retryAfter: '3600', times: 100 };
      refused.length = 0;
      const started = performance.now();
      const first = await runCli(['apply', '-C', repo, '--issuer', 'pebble'], { env });
      expect(performance.now() - started).toBeLessThan(10_000); // not an hour
      expect(first.code, first.stdout + first.stderr).toBe(7);
      expect(first.stderr + first.stdout).toMatch(
        /answered HTTP 429 at https:\/\/127\.0\.0\.1:\d+\/nonce and asks to retry after/,
      );
      expect(refused).toEqual([429]);
      const failed = events(repo, 'limited').filter((e) => e.step === 'issue-failed');
      expect(failed).toHaveLength(1);
      const retryAt = Date.parse(failed[0]?.detail?.retryAt ?? '');
      expect(retryAt - Date.now()).toBeGreaterThan(3500_000);

      // The next run does not ask the CA at all; status says why and until when.
      const second = await runCli(['apply', '-C', repo, '--issuer', 'pebble'], { env });
      expect(second.code).toBe(7);
      expect(second.stdout).toMatch(/⏸ issue limited: backing off after 1 failed issuance/);
      expect(second.stderr).toMatch(/--retry-now/);
      expect(refused).toEqual([429]);
      const plan = await runCli(['plan', '-C', repo, '--issuer', 'pebble'], { env });
      expect(plan.stdout).toMatch(
        /limited: backing off after 1 failed issuance \(.*HTTP 429.*\); apply waits until 20\d\d-.* unless --retry-now/,
      );
      const status = await runCli(['status', '-C', repo, '--json'], { env });
      expect(status.stdout).toMatch(/issuance failed \(attempt 1\)/);

      refuse = undefined;
      const forced = await runCli(['apply', '-C', repo, '--issuer', 'pebble', '--retry-now'], {
        env,
      });
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/✓ issue limited/);
    }, 30_000);

    it('a challenge the CA cannot validate: its problem is shown, and the wait doubles', async () => {
      const repo = path.join(dir, 'invalid');
      // Nothing listens where pebble's VA looks for the token: the validation fails.
      await makeLifecycleRepo(repo, {
        'certs.d/platform/pebble.yaml': issuer(pebble.directoryUrl, pebble.httpPort).replace(
          `port: ${pebble.httpPort}`,
          `webroot: deploy/unserved`,
        ),
        'certs.d/team/nope.yaml': certificate('nope'),
      });
      const env = { CERTOPS_HOME: path.join(repo, '.home') };
      const first = await runCli(['apply', '-C', repo, '--issuer', 'pebble'], { env });
      expect(first.code).toBe(7);
      expect(first.stdout + first.stderr).toMatch(
        /http-01 authorization for nope\.example\.com is invalid: (connection|unauthorized)/,
      );
      const waits = () =>
        events(repo, 'nope')
          .filter((e) => e.step === 'issue-failed')
          .map((e) => e.detail?.attempt);
      expect(waits()).toEqual(['1']);
      const deferred = await runCli(['apply', '-C', repo, '--issuer', 'pebble'], { env });
      expect(deferred.stdout).toMatch(/⏸ issue nope/);
      // Two minutes on, the first wait (1 min) is over: tried again, and now it waits 2 min.
      const later = new Date(Date.now() + 120_000).toISOString();
      const again = await runCli(['--now', later, 'apply', '-C', repo, '--issuer', 'pebble'], {
        env,
      });
      expect(again.code).toBe(7);
      expect(waits()).toEqual(['1', '2']);
      const last = events(repo, 'nope').filter((e) => e.step === 'issue-failed')[1];
      expect(Date.parse(last?.detail?.retryAt ?? '') - Date.parse(later)).toBe(120_000);
    }, 60_000);
  },
);
