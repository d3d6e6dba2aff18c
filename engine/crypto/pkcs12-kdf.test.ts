// Known answers for the PKCS#12 KDF. Each vector came from OpenSSL 3.0's own implementation:
//   openssl kdf -keylen N -kdfopt digest:D -kdfopt hexpass:<BMP password> -kdfopt hexsalt:S \
//     -kdfopt iter:I -kdfopt id:ID PKCS12KDF
// The SHA-1 vector is also the one Go's x/crypto/pkcs12 tests publish ("sesame").
import { describe, expect, it } from 'vitest';
import { bmpPassword, pkcs12Kdf } from './pkcs12-kdf.ts';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (u: Uint8Array) => Buffer.from(u).toString('hex');

describe('bmpPassword', () => {
  it('is UTF-16BE with two zero bytes, surrogate pairs beyond the BMP', () => {
    expect(toHex(bmpPassword('abc'))).toBe('0061006200630000');
    expect(toHex(bmpPassword('ä€𝄞'))).toBe('00e420acd834dd1e0000');
  });
});

describe('pkcs12Kdf', () => {
  it('derives the HMAC-SHA256 MAC key OpenSSL derives (ID 3)', () => {
    const key = pkcs12Kdf('sha256', bmpPassword('secret'), hex('0102030405060708'), 2048, 3, 32);
    expect(toHex(key)).toBe('f5482fd03f702689b4e96cbbea867c6b16e5bda934929f2ecaf4da9e1c67be8f');
  });

  it('matches the published SHA-1 vector (ID 1, two output blocks)', () => {
    const key = pkcs12Kdf('sha1', bmpPassword('sesame'), hex('ffffffffffffffff'), 2048, 1, 24);
    expect(toHex(key)).toBe('7cd9fd3e2b3be7691a44e3bef0f9ea0fb9b897d4e325d9d1');
  });

  it('handles passwords and salts longer than a block, and three output blocks', () => {
    const password = bmpPassword('pässwörd € 𝄞 long enough to span two blocks');
    const salt = hex('000102030405060708090a0b0c0d0e0f10111213');
    expect(toHex(pkcs12Kdf('sha256', password, salt, 1000, 3, 70))).toBe(
      'c50fe96078e8ca08bc9d414898d4507a40f3b5ee7aa8c2284a73d89e1d7c301c' +
        '6aac80ab92a99bb85c01eb0557e17d5154b69019850f129445c71a1f985bb6a3ac3c45b76373',
    );
  });

  it('uses the 128-byte block of SHA-512', () => {
    const key = pkcs12Kdf('sha512', bmpPassword('secret'), hex('a1a2a3a4a5a6a7a8'), 3, 3, 64);
    expect(toHex(key)).toBe(
      '7e6199351f73eb9bec46434cb27481f9e5904bde47a82a0690455bd09a1ddf7b' +
        '41b65408bc693db4d26f97015663e524537f0a00a87fd2e23d932ff7e15909ab',
    );
  });

  it('refuses zero iterations', () => {
    expect(() => pkcs12Kdf('sha256', bmpPassword('x'), hex('00'), 0, 3, 32)).toThrow(RangeError);
  });
});
