// The PKCS#12 key derivation (RFC 7292 Appendix B.2), used here only for the integrity MAC
// (ID = 3). Key and certificate encryption use PBES2/PBKDF2 instead (see pkcs12-pbes2.ts).
import { createHash } from 'node:crypto';

/** Digests the KDF and the MAC accept: output size u and block size v, in bytes. */
export const PKCS12_DIGESTS = {
  sha1: { u: 20, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
} as const;
export type Pkcs12Digest = keyof typeof PKCS12_DIGESTS;

/** Purpose byte of the KDF: 1 encryption key, 2 IV, 3 MAC key. */
export type Pkcs12KdfId = 1 | 2 | 3;

/**
 * A password as RFC 7292 B.1 wants it: BMPString (UTF-16 big-endian; characters beyond the BMP as
 * surrogate pairs, as OpenSSL does) followed by two zero bytes.
 */
export function bmpPassword(password: string): Uint8Array {
  const le = Buffer.from(`${password}\0`, 'utf16le');
  return new Uint8Array(le.swap16());
}

/** `data` repeated to fill ceil(len / v) whole blocks of v bytes (empty input stays empty). */
function fill(data: Uint8Array, v: number): Uint8Array {
  const out = new Uint8Array(v * Math.ceil(data.length / v));
  for (let i = 0; i < out.length; i++) out[i] = data[i % data.length] as number;
  return out;
}

/**
 * Derives `length` bytes from `password` (already BMP-encoded: see bmpPassword), `salt` and
 * `iterations`, for purpose `id`. Deterministic; costs `iterations` digests per u bytes.
 */
export function pkcs12Kdf(
  digest: Pkcs12Digest,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  id: Pkcs12KdfId,
  length: number,
): Uint8Array {
  const { u, v } = PKCS12_DIGESTS[digest];
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError('iterations < 1');
  const d = new Uint8Array(v).fill(id);
  const i = Buffer.concat([fill(salt, v), fill(password, v)]);
  const out = Buffer.alloc(u * Math.ceil(length / u));
  for (let block = 0; block * u < length; block++) {
    let a = createHash(digest).update(d).update(i).digest();
    for (let r = 1; r < iterations; r++) a = createHash(digest).update(a).digest();
    a.copy(out, block * u);
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block I_j of I, B = A repeated to v bytes.
    for (let j = 0; j < i.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = (i[j + k] as number) + (a[k % u] as number) + carry;
        i[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return new Uint8Array(out.subarray(0, length));
}
