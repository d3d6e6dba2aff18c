import net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.ts';
import { ExternalError } from '../errors.ts';
import { makeTestBundle } from '../targets/testing/certs.ts';
import type { DeployBundle } from '../targets/types.ts';
import { nodeTlsProbe, sniFor, waitForFingerprint } from './tls-probe.ts';

let first: DeployBundle;
let second: DeployBundle;
let server: tls.Server;
let port: number;
const sniSeen: string[] = [];
/** Contexts handed out, one per connection that sends SNI, before falling back to the default. */
const scripted: tls.SecureContext[] = [];

beforeAll(async () => {
  first = await makeTestBundle({ dnsNames: ['a.example.test'] });
  second = await makeTestBundle({ dnsNames: ['a.example.test'] });
  server = tls.createServer({
    SNICallback: (name, cb) => {
      sniSeen.push(name);
      cb(null, scripted.shift());
    },
  });
  server.setSecureContext({ cert: first.fullchainPem, key: first.privateKeyPem });
  server.on('secureConnection', (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function freePortWithNothing(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

describe('nodeTlsProbe', () => {
  it('returns the served leaf fingerprint, lower-case hex', async () => {
    const fp = await nodeTlsProbe.fingerprint('127.0.0.1', port, 'a.example.test', 2_000);
    expect(fp).toBe(first.fingerprintSha256);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sends SNI for DNS names only, never for IP addresses', async () => {
    sniSeen.length = 0;
    await nodeTlsProbe.fingerprint('127.0.0.1', port, 'sni.example.test', 2_000);
    await nodeTlsProbe.fingerprint('127.0.0.1', port, '127.0.0.1', 2_000);
    await nodeTlsProbe.fingerprint('127.0.0.1', port, undefined, 2_000);
    expect(sniSeen).toEqual(['sni.example.test']);
    expect(sniFor('::1')).toBeUndefined();
    expect(sniFor('host.example.')).toBe('host.example');
  });

  it('fails with an ExternalError when nothing listens', async () => {
    const p = await freePortWithNothing();
    const err = await nodeTlsProbe.fingerprint('127.0.0.1', p, undefined, 2_000).catch((e) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect((err as ExternalError).message).toMatch(/ECONNREFUSED/);
  });

  it('times out on a server that never answers the handshake', async () => {
    // Reads (so it sees the probe hang up) but never answers.
    const silent = net.createServer((s) => s.resume());
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const p = (silent.address() as AddressInfo).port;
      const err = await nodeTlsProbe.fingerprint('127.0.0.1', p, undefined, 200).catch((e) => e);
      expect((err as ExternalError).message).toMatch(/did not finish within 200 ms/);
    } finally {
      // Resolves only once every connection is closed: the probe must hang up after its timeout.
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('refuses a port outside 1..65535', async () => {
    await expect(nodeTlsProbe.fingerprint('127.0.0.1', 70_000, undefined, 100)).rejects.toThrow(
      /invalid TLS port/,
    );
  });
});

describe('waitForFingerprint', () => {
  it('polls until the new certificate is served', async () => {
    server.setSecureContext({ cert: first.fullchainPem, key: first.privateKeyPem });
    const swap = setTimeout(
      () => server.setSecureContext({ cert: second.fullchainPem, key: second.privateKeyPem }),
      300,
    );
    try {
      const r = await waitForFingerprint(
        nodeTlsProbe,
        '127.0.0.1',
        port,
        undefined,
        second.fingerprintSha256,
        {
          timeoutMs: 5_000,
          intervalMs: 50,
        },
      );
      expect(r.attempts).toBeGreaterThan(1);
    } finally {
      clearTimeout(swap);
    }
  });

  it('needs consecutive confirmations when old and new certificates alternate', async () => {
    server.setSecureContext({ cert: second.fullchainPem, key: second.privateKeyPem });
    const old = tls.createSecureContext({ cert: first.fullchainPem, key: first.privateKeyPem });
    const fresh = tls.createSecureContext({ cert: second.fullchainPem, key: second.privateKeyPem });
    scripted.push(fresh, old, fresh, old, fresh, old); // then the default (fresh) for good
    const r = await waitForFingerprint(
      nodeTlsProbe,
      '127.0.0.1',
      port,
      'a.example.test',
      second.fingerprintSha256,
      {
        timeoutMs: 5_000,
        intervalMs: 10,
      },
    );
    expect(r.attempts).toBe(9); // 7, 8, 9 are the first three in a row
  });

  it('names what is served instead when the deadline passes', async () => {
    server.setSecureContext({ cert: first.fullchainPem, key: first.privateKeyPem });
    const err = await waitForFingerprint(
      nodeTlsProbe,
      '127.0.0.1',
      port,
      undefined,
      second.fingerprintSha256,
      {
        timeoutMs: 300,
        intervalMs: 50,
      },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect((err as ExternalError).message).toContain(`still serves ${first.fingerprintSha256}`);
  });

  it('ends even with a frozen clock (attempts are bounded)', async () => {
    const err = await waitForFingerprint(
      nodeTlsProbe,
      '127.0.0.1',
      port,
      undefined,
      'ab'.repeat(32),
      {
        timeoutMs: 200,
        intervalMs: 50,
        clock: fixedClock(new Date('2030-01-01T00:00:00Z')),
      },
    ).catch((e) => e);
    expect((err as ExternalError).message).toMatch(/did not serve certificate/);
  });
});
