// The PFX integrity MAC (RFC 7292 §5.1, Appendix B): HMAC over the AuthenticatedSafe bytes, keyed
// by the PKCS#12 KDF (ID = 3) over the BMPString password. Written as HMAC-SHA256 with a 16-byte
// salt; verified for SHA-1/256/384/512 (OpenSSL 3 writes SHA-256, older tools SHA-1).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MacData } from '@peculiar/asn1-pfx';
import { DigestInfo } from '@peculiar/asn1-rsa';
import { OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { ExternalError } from '../errors.ts';
import { DIGEST_OIDS, oidOf } from './pkcs12-asn1.ts';
import type { Pkcs12Digest } from './pkcs12-kdf.ts';
import { PKCS12_DIGESTS, bmpPassword, pkcs12Kdf } from './pkcs12-kdf.ts';
import { MAX_ITERATIONS } from './pkcs12-pbes2.ts';

function hmac(
  digest: Pkcs12Digest,
  data: Uint8Array,
  password: string,
  salt: Uint8Array,
  iterations: number,
): Buffer {
  const { u } = PKCS12_DIGESTS[digest];
  const key = pkcs12Kdf(digest, bmpPassword(password), salt, iterations, 3, u);
  return createHmac(digest, key).update(data).digest();
}

/** MacData for `authSafe` (the DER of the AuthenticatedSafe, as the PFX's data content holds it). */
export function createMacData(authSafe: Uint8Array, password: string, iterations: number): MacData {
  const salt = randomBytes(16);
  return new MacData({
    mac: new DigestInfo({
      digestAlgorithm: new AlgorithmIdentifier({
        algorithm: oidOf(DIGEST_OIDS, 'sha256'),
        parameters: null,
      }),
      digest: new OctetString(hmac('sha256', authSafe, password, salt, iterations)),
    }),
    macSalt: new OctetString(salt),
    iterations,
  });
}

/**
 * Throws an ExternalError naming `what` unless `mac` authenticates `authSafe` under `password`:
 * a wrong password and a modified file look the same here, and the message says so.
 */
export function verifyMacData(
  mac: MacData | undefined,
  authSafe: Uint8Array,
  password: string,
  what: string,
): void {
  if (mac === undefined) throw new ExternalError(`${what} has no integrity MAC`);
  const digest = DIGEST_OIDS[mac.mac.digestAlgorithm.algorithm];
  if (digest === undefined || !(digest in PKCS12_DIGESTS)) {
    throw new ExternalError(
      `${what} uses MAC digest ${mac.mac.digestAlgorithm.algorithm}, which certops cannot check`,
    );
  }
  const iterations = Number(mac.iterations ?? 1);
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new ExternalError(`${what} asks for ${mac.iterations} MAC iterations`);
  }
  const salt = new Uint8Array(mac.macSalt.buffer);
  const want = new Uint8Array(mac.mac.digest.buffer);
  const got = hmac(digest as Pkcs12Digest, authSafe, password, salt, iterations);
  if (want.length !== got.length || !timingSafeEqual(want, got)) {
    throw new ExternalError(
      `${what}: MAC verification failed (wrong password, or the file was changed)`,
      {
        hint: 'Check that the password is the one the file was written with; a changed file must be written again.',
      },
    );
  }
}
