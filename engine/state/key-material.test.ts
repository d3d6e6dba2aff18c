import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derPrivateKeyKind, findKeyMaterial } from './key-material.ts';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const certDer = execFileSync('openssl', [
  'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
  '-keyout', '/dev/null', '-subj', '/CN=km.example', '-days', '1', '-outform', 'DER',
]); // prettier-ignore
const certPem = execFileSync('openssl', ['x509', '-inform', 'DER'], { input: certDer }).toString();

describe('findKeyMaterial', () => {
  it.each([
    ['PRIVATE KEY', ec.privateKey.export({ type: 'pkcs8', format: 'pem' })],
    ['EC PRIVATE KEY', ec.privateKey.export({ type: 'sec1', format: 'pem' })],
    [
      'ENCRYPTED PRIVATE KEY',
      ec.privateKey.export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-128-cbc',
        passphrase: 'p',
      }),
    ],
    [
      'RSA PRIVATE KEY',
      '-----BEGIN RSA PRIVATE ' + 'KEY-----\nMIIE\n-----END RSA PRIVATE ' + 'KEY-----\n',
    ],
    ['OPENSSH PRIVATE KEY', 'x\n-----BEGIN OPENSSH PRIVATE ' + 'KEY-----\nb3Bl\n'],
    ['PGP PRIVATE KEY BLOCK', '-----BEGIN PGP PRIVATE KEY BLOCK-----\n'],
    ['JWK private key', JSON.stringify(ec.privateKey.export({ format: 'jwk' }))],
    [
      'JWK private key',
      JSON.stringify({ detail: JSON.stringify(ed.privateKey.export({ format: 'jwk' })) }),
    ],
    ['PKCS#8 DER private key', ec.privateKey.export({ type: 'pkcs8', format: 'der' })],
    ['PKCS#8 DER private key', ed.privateKey.export({ type: 'pkcs8', format: 'der' })],
    ['SEC1 DER EC private key', ec.privateKey.export({ type: 'sec1', format: 'der' })],
  ])('finds %s', (kind, content) => {
    expect(findKeyMaterial(typeof content === 'string' ? content : new Uint8Array(content))).toBe(
      kind,
    );
  });

  it('finds a PEM key embedded in JSON', () => {
    const pem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(findKeyMaterial(JSON.stringify({ chainPem: pem }, null, 2))).toBe('PRIVATE KEY');
  });

  it.each([
    ['a certificate (PEM)', certPem],
    ['a certificate (DER)', new Uint8Array(certDer)],
    ['a public key (PEM)', ec.publicKey.export({ type: 'spki', format: 'pem' })],
    ['a public key (DER)', new Uint8Array(ec.publicKey.export({ type: 'spki', format: 'der' }))],
    ['a public JWK', JSON.stringify(ec.publicKey.export({ format: 'jwk' }))],
    ['prose about keys', 'Private keys never enter Git; see PRIVATE KEY handling.'],
  ])('ignores %s', (_label, content) => {
    expect(findKeyMaterial(content)).toBeNull();
  });

  it('requires a DER structure to span the whole blob', () => {
    const der = ec.privateKey.export({ type: 'pkcs8', format: 'der' });
    expect(derPrivateKeyKind(der)).toBe('PKCS#8 DER private key');
    expect(derPrivateKeyKind(Buffer.concat([der, Buffer.from([0])]))).toBeNull();
    expect(derPrivateKeyKind(der.subarray(0, der.length - 1))).toBeNull();
  });
});
