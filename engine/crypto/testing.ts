// Test helper (not used by production code): a KeyFactory that hands out pre-generated RSA keys
// from __fixtures__ (RSA generation costs ~0.3 s a key) and generates EC and Ed25519 keys, which
// are fast. Every RSA key of a size is the same key: tests needing distinct keys use EC.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importPrivateKeyPem, webCryptoKeyFactory } from './keys.ts';
import type { KeyFactory, KeyPair, KeySpec } from './types.ts';

/** PKCS#8 PEM of the RSA fixture key of `size` bits (2048 or 3072). */
export function rsaFixturePem(size: 2048 | 3072): string {
  return readFileSync(
    fileURLToPath(new URL(`./__fixtures__/rsa-${size}.pem`, import.meta.url)),
    'utf8',
  );
}

export const fixtureKeyFactory: KeyFactory = {
  async generate(spec: KeySpec): Promise<KeyPair> {
    if (spec.algorithm !== 'RSA') return webCryptoKeyFactory.generate(spec);
    const size = spec.size ?? 3072;
    if (size !== 2048 && size !== 3072) throw new Error(`no RSA-${size} fixture key`);
    return importPrivateKeyPem(rsaFixturePem(size));
  },
};
