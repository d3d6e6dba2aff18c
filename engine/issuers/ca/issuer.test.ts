import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../clock.ts';
import { fixtureKeyFactory } from '../../crypto/testing.ts';
import type { KeySpec } from '../../crypto/types.ts';
import { parseCertificate } from '../../crypto/x509.ts';
import type { CaIssuerSpec } from '../../model/types.generated.ts';
import { leafRequest, opensslText, opensslVerify, useTestCa } from '../testing.ts';
import { caIssuer } from './issuer.ts';

const clock = fixedClock(new Date('2026-03-01T00:00:00Z'));
const spec: CaIssuerSpec = {
  type: 'ca',
  crlDistributionPoints: ['http://pki.example.com/private-ca.crl'],
  ocspServers: ['http://ocsp.example.com'],
  caIssuers: ['http://pki.example.com/intermediate.cer'],
};
const fx = useTestCa(spec, clock);

describe('caIssuer.issue', () => {
  it.each<[KeySpec, string]>([
    [{ algorithm: 'RSA', size: 2048 }, 'rsaEncryption'],
    [{ algorithm: 'RSA', size: 3072 }, 'rsaEncryption'],
    [{ algorithm: 'ECDSA', size: 256 }, 'id-ecPublicKey'],
    [{ algorithm: 'ECDSA', size: 384 }, 'id-ecPublicKey'],
    [{ algorithm: 'Ed25519' }, 'ED25519'],
  ])(
    'signs a %j leaf that chains to the root (node and openssl agree)',
    async (keySpec, opensslAlg) => {
      const key = await fixtureKeyFactory.generate(keySpec);
      const res = await caIssuer.issue(fx.ctx, leafRequest(key, { operationId: fx.nextOp() }));
      expect(res.chainPem).toBe(fx.ca.intermediatePem);
      const leaf = new X509Certificate(res.certificatePem);
      const int = new X509Certificate(fx.ca.intermediatePem);
      expect(leaf.verify(int.publicKey)).toBe(true);
      expect(leaf.checkIssued(int)).toBe(true);
      expect(leaf.checkIssued(new X509Certificate(fx.ca.rootPem))).toBe(false);
      expect(res.issuerDn).toBe('CN=private-ca Intermediate CA');
      expect(opensslText(res.certificatePem)).toContain(`Public Key Algorithm: ${opensslAlg}`);
      expect(opensslText(res.certificatePem)).toContain('Signature Algorithm: ecdsa-with-SHA384');
      expect(
        opensslVerify({
          root: fx.ca.rootPem,
          intermediate: res.chainPem,
          leaf: res.certificatePem,
          at: clock.now(),
          purpose: 'sslserver',
        }),
      ).toMatch(/: OK/);
    },
  );

  it('writes names, usages, constraints, key ids and publication URLs', async () => {
    const key = await fixtureKeyFactory.generate({ algorithm: 'RSA', size: 3072 });
    const res = await caIssuer.issue(
      fx.ctx,
      leafRequest(key, {
        operationId: fx.nextOp(),
        commonName: 'api.example.com',
        subject: {
          organization: 'Example, Inc.',
          organizationalUnit: 'Payments',
          country: 'US',
          province: 'CA',
          locality: 'SF',
        },
        dnsNames: ['api.example.com', '*.api.example.com'],
        ipAddresses: ['10.0.0.7', '2001:db8::7'],
        emailAddresses: ['ops@example.com'],
        uris: ['spiffe://example.com/api'],
        keyUsages: ['digitalSignature', 'keyEncipherment'],
        extendedKeyUsages: ['serverAuth', 'clientAuth'],
      }),
    );
    const info = parseCertificate(res.certificatePem);
    expect(info.subject).toBe(
      'C=US, ST=CA, L=SF, O=Example\\, Inc., OU=Payments, CN=api.example.com',
    );
    expect(info.dnsNames).toEqual(['api.example.com', '*.api.example.com']);
    expect(info.ipAddresses).toEqual(['10.0.0.7', '2001:db8::7']);
    expect(info.emailAddresses).toEqual(['ops@example.com']);
    expect(info.uris).toEqual(['spiffe://example.com/api']);
    expect(info.isCA).toBe(false);
    expect(res.serial).toBe(info.serial);
    expect(res.fingerprintSha256).toBe(info.fingerprintSha256);

    const text = opensslText(res.certificatePem);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
    expect(text).toMatch(
      /Extended Key Usage: \s*TLS Web Server Authentication, TLS Web Client Authentication/,
    );
    expect(text).toMatch(
      /CRL Distribution Points: \s*Full Name:\s+URI:http:\/\/pki.example.com\/private-ca.crl/,
    );
    expect(text).toMatch(/OCSP - URI:http:\/\/ocsp.example.com/);
    expect(text).toMatch(/CA Issuers - URI:http:\/\/pki.example.com\/intermediate.cer/);
    const intSki = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(
      opensslText(fx.ca.intermediatePem),
    )?.[1];
    expect(intSki).toMatch(/^[0-9A-F:]{59}$/);
    expect(text).toMatch(new RegExp(`Authority Key Identifier:\\s+(keyid:)?${intSki}`));
    expect(text).toMatch(/Subject Key Identifier:\s+[0-9A-F:]{59}/);
    expect(
      opensslVerify({
        root: fx.ca.rootPem,
        intermediate: res.chainPem,
        leaf: res.certificatePem,
        at: clock.now(),
        purpose: 'sslclient',
      }),
    ).toMatch(/OK/);
  });

  it('leaves out KU, CRL DP and AIA when nothing asks for them', async () => {
    const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
    const bare = { ...fx.ctx, spec: { type: 'ca' } as CaIssuerSpec };
    const res = await caIssuer.issue(
      bare,
      leafRequest(key, { operationId: fx.nextOp(), keyUsages: [], extendedKeyUsages: [] }),
    );
    const text = opensslText(res.certificatePem);
    expect(text).not.toContain('Key Usage');
    expect(text).not.toContain('CRL Distribution');
    expect(text).not.toContain('Authority Information Access');
    expect(text).toContain('CA:FALSE');
  });
});
