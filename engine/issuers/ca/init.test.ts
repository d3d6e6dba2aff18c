import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../clock.ts';
import { parseCertificate } from '../../crypto/x509.ts';
import { fixtureKeyFactory } from '../../crypto/testing.ts';
import { ExternalError } from '../../errors.ts';
import { opensslText, opensslVerify, tempHome } from '../testing.ts';
import { initCa } from './init.ts';
import { caPaths } from './paths.ts';

const clock = fixedClock(new Date('2026-03-01T12:00:00.250Z'));
let home: string;
let cleanup: () => void;
beforeEach(() => ({ home, cleanup } = tempHome()));
afterEach(() => cleanup());

const init = (spec: Parameters<typeof initCa>[0]['spec'] = { type: 'ca' }) =>
  initCa({ home, issuerName: 'private-ca', spec, clock, keys: fixtureKeyFactory });

describe('initCa', () => {
  it('creates a P-384 root (20 years) and intermediate (10 years, pathLen 0) that openssl accepts', async () => {
    const ca = await init();
    expect(ca.created).toBe(true);
    expect(ca.dir).toBe(join(home, 'ca', 'private-ca'));
    const root = parseCertificate(ca.rootPem);
    const int = parseCertificate(ca.intermediatePem);
    expect(root.subject).toBe('CN=private-ca Root CA');
    expect(int.subject).toBe('CN=private-ca Intermediate CA');
    expect(int.issuer).toBe(root.subject);
    expect([root.publicKeyAlgorithm, int.publicKeyAlgorithm]).toEqual(['ECDSA-P384', 'ECDSA-P384']);
    expect([root.notBefore, root.notAfter]).toEqual([
      '2026-03-01T12:00:00Z',
      '2046-03-01T12:00:00Z',
    ]);
    expect(int.notAfter).toBe('2036-03-01T12:00:00Z');
    expect(root.isCA && int.isCA).toBe(true);
    expect(
      new X509Certificate(ca.intermediatePem).checkIssued(new X509Certificate(ca.rootPem)),
    ).toBe(true);
    expect(
      new X509Certificate(ca.intermediatePem).verify(new X509Certificate(ca.rootPem).publicKey),
    ).toBe(true);

    const rootText = opensslText(ca.rootPem);
    expect(rootText).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(rootText).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(rootText).toContain('Subject Key Identifier');
    expect(rootText).toContain('ecdsa-with-SHA384');
    const intText = opensslText(ca.intermediatePem);
    expect(intText).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(intText).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    const ski = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(rootText)?.[1];
    expect(ski).toBeDefined();
    expect(intText).toMatch(new RegExp(`Authority Key Identifier:\\s+(keyid:)?${ski}`));
    expect(opensslVerify({ root: ca.rootPem, leaf: ca.intermediatePem, at: clock.now() })).toMatch(
      /OK/,
    );
  });

  it('keeps keys 0600 and every directory 0700, certificates beside the keys', async () => {
    await init();
    const p = caPaths(home, 'private-ca');
    expect(readdirSync(p.dir).sort()).toEqual([
      'intermediate.key',
      'intermediate.pem',
      'issued',
      'root.key',
      'root.pem',
      'serials',
    ]);
    for (const f of ['root.key', 'intermediate.key']) {
      expect(statSync(join(p.dir, f)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(p.dir, f), 'utf8')).toContain('PRIVATE KEY');
    }
    for (const d of [join(home, 'ca'), p.dir, p.issuedDir, p.serialsDir]) {
      expect(statSync(d).mode & 0o777).toBe(0o700);
    }
  });

  it('is idempotent: a second run returns the same CA and writes nothing', async () => {
    const first = await init();
    const p = caPaths(home, 'private-ca');
    const before = statSync(join(p.dir, 'intermediate.key')).mtimeMs;
    const again = await init({ type: 'ca', privateKey: { algorithm: 'ECDSA', size: 256 } });
    expect(again).toEqual({ ...first, created: false });
    expect(statSync(join(p.dir, 'intermediate.key')).mtimeMs).toBe(before);
  });

  it('uses spec.subject and spec.privateKey', async () => {
    const ca = await init({
      type: 'ca',
      subject: { commonName: 'Example Corp CA', organization: 'Example Corp', country: 'DE' },
      privateKey: { algorithm: 'ECDSA', size: 256 },
    });
    const root = parseCertificate(ca.rootPem);
    expect(root.subject).toBe('C=DE, O=Example Corp, CN=Example Corp CA');
    expect(parseCertificate(ca.intermediatePem).subject).toBe(
      'C=DE, O=Example Corp, CN=Example Corp CA Intermediate',
    );
    expect(root.publicKeyAlgorithm).toBe('ECDSA-P256');
    expect(opensslText(ca.rootPem)).toContain('ecdsa-with-SHA256');
  });

  it('replaces a half-written CA (no intermediate.pem yet) as a whole', async () => {
    const first = await init();
    rmSync(caPaths(home, 'private-ca').intermediateCert);
    const second = await init();
    expect(second.created).toBe(true);
    expect(second.rootPem).not.toBe(first.rootPem);
  });

  it('refuses to rebuild a CA that has an intermediate but lost its root', async () => {
    await init();
    rmSync(caPaths(home, 'private-ca').rootCert);
    await expect(init()).rejects.toThrow(ExternalError);
    await expect(init()).rejects.toThrow(/no root.pem/);
  });

  it('refuses an issuer name that is not a plain file name', async () => {
    await expect(
      initCa({
        home,
        issuerName: '../escape',
        spec: { type: 'ca' },
        clock,
        keys: fixtureKeyFactory,
      }),
    ).rejects.toThrow(/invalid issuer name/);
    expect(readdirSync(home)).toEqual([]);
  });
});
