import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../clock.ts';
import { fixtureKeyFactory } from '../../crypto/testing.ts';
import type { KeySpec } from '../../crypto/types.ts';
import { parseCertificate } from '../../crypto/x509.ts';
import { UsageError } from '../../errors.ts';
import { ISSUERS } from '../index.ts';
import { leafRequest, opensslText } from '../testing.ts';
import type { IssuerContext } from '../types.ts';
import { selfSignedIssuer } from './issuer.ts';

const ctx: IssuerContext = {
  name: 'self',
  spec: { type: 'selfSigned' },
  home: '/nonexistent-certops-home', // the self-signed issuer keeps no state
  clock: fixedClock(new Date('2026-03-01T00:00:00Z')),
};

describe('selfSignedIssuer', () => {
  it.each<[KeySpec, string]>([
    [{ algorithm: 'ECDSA', size: 256 }, 'ecdsa-with-SHA256'],
    [{ algorithm: 'ECDSA', size: 384 }, 'ecdsa-with-SHA384'],
    [{ algorithm: 'ECDSA', size: 521 }, 'ecdsa-with-SHA384'],
    [{ algorithm: 'RSA', size: 2048 }, 'sha256WithRSAEncryption'],
    [{ algorithm: 'Ed25519' }, 'ED25519'],
  ])('signs a %j leaf with its own key (%s), no chain', async (spec, sigAlg) => {
    const key = await fixtureKeyFactory.generate(spec);
    const res = await selfSignedIssuer.issue(
      ctx,
      leafRequest(key, { commonName: 'self.example.com' }),
    );
    const cert = new X509Certificate(res.certificatePem);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.issuer).toBe(cert.subject); // checkIssued() is false: a leaf lacks keyCertSign
    expect(res.chainPem).toBe('');
    expect(res.issuerDn).toBe('CN=self.example.com');
    const text = opensslText(res.certificatePem);
    expect(text).toContain(`Signature Algorithm: ${sigAlg}`);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/Extended Key Usage: \s*TLS Web Server Authentication/);
  });

  it('keeps the requested validity and names; the CN falls back to the first name', async () => {
    const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
    const res = await selfSignedIssuer.issue(
      ctx,
      leafRequest(key, {
        dnsNames: [],
        ipAddresses: ['192.0.2.1'],
        notAfter: new Date('2031-03-01T00:00:00.900Z'),
      }),
    );
    const info = parseCertificate(res.certificatePem);
    expect([info.notBefore, info.notAfter]).toEqual([
      '2026-03-01T00:00:00Z',
      '2031-03-01T00:00:00Z',
    ]);
    expect(info.subject).toBe('CN=192.0.2.1');
    expect(info.ipAddresses).toEqual(['192.0.2.1']);
  });

  it('does not crash when asked twice for one operation (it signs again)', async () => {
    const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
    const a = await selfSignedIssuer.issue(ctx, leafRequest(key));
    const b = await selfSignedIssuer.issue(ctx, leafRequest(key));
    expect(a.serial).not.toBe(b.serial);
  });

  it('refuses a request with no names or an empty validity', async () => {
    const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
    await expect(selfSignedIssuer.issue(ctx, leafRequest(key, { dnsNames: [] }))).rejects.toThrow(
      /at least one subject alternative name/,
    );
    const backwards = leafRequest(key, { notAfter: new Date('2026-01-01T00:00:00Z') });
    await expect(selfSignedIssuer.issue(ctx, backwards)).rejects.toThrow(UsageError);
  });
});

describe('ISSUERS', () => {
  it('maps each implemented issuer type to its provider', () => {
    expect(Object.keys(ISSUERS).sort()).toEqual(['acme', 'ca', 'selfSigned']);
  });

  it('loads the provider on first use and issues through it', async () => {
    const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
    const res = await ISSUERS.selfSigned.issue(
      ctx,
      leafRequest(key, { commonName: 'lazy.example.com' }),
    );
    expect(res.issuerDn).toBe('CN=lazy.example.com');
    expect(new X509Certificate(res.certificatePem).subject).toBe('CN=lazy.example.com');
  });
});
