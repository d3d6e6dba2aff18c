import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExternalError, UsageError } from '../errors.ts';
import {
  exportPrivateKeyPem,
  exportSpkiDer,
  importPrivateKeyPem,
  keyAlgorithmLabel,
  webCryptoKeyFactory,
} from './keys.ts';
import { pemEncode } from './pem.ts';
import { fixtureKeyFactory, rsaFixturePem } from './testing.ts';
import type { KeyPair, KeySpec } from './types.ts';

const data = new TextEncoder().encode('certops');

async function signsAndVerifies(pair: KeyPair): Promise<boolean> {
  const alg =
    pair.spec.algorithm === 'ECDSA'
      ? { name: 'ECDSA', hash: 'SHA-256' }
      : { name: pair.privateKey.algorithm.name };
  const sig = await webcrypto.subtle.sign(alg, pair.privateKey, data);
  return webcrypto.subtle.verify(alg, pair.publicKey, sig, data);
}

describe('webCryptoKeyFactory', () => {
  it.each<[KeySpec, string, string]>([
    [{ algorithm: 'ECDSA', size: 256 }, 'ECDSA-P256', 'P-256'],
    [{ algorithm: 'ECDSA', size: 384 }, 'ECDSA-P384', 'P-384'],
    [{ algorithm: 'ECDSA', size: 521 }, 'ECDSA-P521', 'P-521'],
    [{ algorithm: 'ECDSA' }, 'ECDSA-P256', 'P-256'],
  ])('generates %j (%s) on curve %s', async (spec, label, curve) => {
    const pair = await webCryptoKeyFactory.generate(spec);
    expect(keyAlgorithmLabel(pair.spec)).toBe(label);
    expect((pair.privateKey.algorithm as webcrypto.EcKeyAlgorithm).namedCurve).toBe(curve);
    expect(pair.privateKey.extractable).toBe(true);
    expect(await signsAndVerifies(pair)).toBe(true);
  });

  it('generates Ed25519 keys', async () => {
    const pair = await webCryptoKeyFactory.generate({ algorithm: 'Ed25519' });
    expect(keyAlgorithmLabel(pair.spec)).toBe('Ed25519');
    expect(await signsAndVerifies(pair)).toBe(true);
  });

  it('refuses sizes it does not make, before any slow work', async () => {
    await expect(webCryptoKeyFactory.generate({ algorithm: 'RSA', size: 1024 })).rejects.toThrow(
      UsageError,
    );
    await expect(webCryptoKeyFactory.generate({ algorithm: 'ECDSA', size: 224 })).rejects.toThrow(
      /256, 384 or 521/,
    );
  });
});

describe('keyAlgorithmLabel', () => {
  it('names RSA keys by modulus size', () => {
    expect(keyAlgorithmLabel({ algorithm: 'RSA', size: 3072 })).toBe('RSA-3072');
    expect(keyAlgorithmLabel({ algorithm: 'RSA', size: 2048 })).toBe('RSA-2048');
  });
});

describe('PKCS#8 export and import', () => {
  it.each<KeySpec>([
    { algorithm: 'ECDSA', size: 256 },
    { algorithm: 'ECDSA', size: 384 },
    { algorithm: 'ECDSA', size: 521 },
    { algorithm: 'Ed25519' },
    { algorithm: 'RSA', size: 2048 },
    { algorithm: 'RSA', size: 3072 },
  ])('round-trips %j and derives the same public key', async (spec) => {
    const pair = await fixtureKeyFactory.generate(spec);
    const pem = await exportPrivateKeyPem(pair.privateKey);
    expect(pem).toMatch(/^-{5}BEGIN PRIVATE KEY-{5}\n/);
    const back = await importPrivateKeyPem(pem);
    expect(back.spec).toEqual(pair.spec);
    expect(await exportSpkiDer(back.publicKey)).toEqual(await exportSpkiDer(pair.publicKey));
    expect(await signsAndVerifies(back)).toBe(true);
  });

  it('imports the RSA fixtures as RSASSA-PKCS1-v1_5 with SHA-256', async () => {
    const pair = await importPrivateKeyPem(rsaFixturePem(3072));
    expect(pair.spec).toEqual({ algorithm: 'RSA', size: 3072 });
    expect(pair.privateKey.algorithm).toMatchObject({
      name: 'RSASSA-PKCS1-v1_5',
      hash: { name: 'SHA-256' },
    });
  });

  it('reads a legacy SEC1 "EC PRIVATE KEY" and returns PKCS#8 on export', async () => {
    const sec1 = execFileSync('openssl', ['ecparam', '-name', 'secp384r1', '-genkey', '-noout'], {
      encoding: 'utf8',
    });
    expect(sec1).toContain('BEGIN EC PRIVATE KEY');
    const pair = await importPrivateKeyPem(sec1);
    expect(pair.spec).toEqual({ algorithm: 'ECDSA', size: 384 });
    expect(await exportPrivateKeyPem(pair.privateKey)).toContain('BEGIN PRIVATE KEY');
  });

  it('refuses an encrypted key with a hint', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const enc = privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'x',
    });
    await expect(importPrivateKeyPem(enc as string)).rejects.toThrow(/it is encrypted/);
  });

  it('refuses keys of algorithms certops does not handle', async () => {
    const { privateKey } = generateKeyPairSync('x25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    await expect(importPrivateKeyPem(pem)).rejects.toThrow(/unsupported algorithm \(x25519\)/);
  });

  it.each([
    ['garbage', 'not a key'],
    ['a certificate block', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'],
    // Built at run time: PRIVATE KEY blocks live in __fixtures__ only (a repository guard).
    ['a corrupt key body', pemEncode('PRIVATE KEY', new Uint8Array([0, 0, 0, 0, 0, 0]))],
  ])('refuses %s with an ExternalError', async (_, text) => {
    await expect(importPrivateKeyPem(text)).rejects.toThrow(ExternalError);
  });

  it('refuses two keys in one PEM', async () => {
    const pem = rsaFixturePem(2048);
    await expect(importPrivateKeyPem(pem + pem)).rejects.toThrow(
      /expected one PEM private key, found 2/,
    );
  });
});
