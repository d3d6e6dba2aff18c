// PBES2 (RFC 8018 §6.2) as PKCS#12 uses it for shrouded keys and encrypted certificate bags:
// PBKDF2 over the password's UTF-8 bytes (what OpenSSL passes), then AES-CBC.
// Writes PBKDF2-HMAC-SHA256 + AES-256-CBC with a random 16-byte salt and IV; reads any
// HMAC-SHA1/256/384/512 PRF with AES-128/192/256-CBC, which covers what OpenSSL 3 writes.
import { createCipheriv, createDecipheriv, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { ExternalError } from '../errors.ts';
import { AES_CBC_OIDS, HMAC_OIDS, OID, Pbes2Params, Pbkdf2Params, oidOf } from './pkcs12-asn1.ts';

const derive = promisify(pbkdf2);

/** Upper bound on iteration counts written or read (a hostile file must not stall a verify). */
export const MAX_ITERATIONS = 1_000_000;
const SALT_BYTES = 16;
const KEY_BYTES: Readonly<Record<string, number>> = {
  'aes-128-cbc': 16,
  'aes-192-cbc': 24,
  'aes-256-cbc': 32,
};

export interface Encrypted {
  algorithm: AlgorithmIdentifier;
  ciphertext: Uint8Array;
}

/** Encrypts `plain` with PBES2 (PBKDF2-HMAC-SHA256, `iterations`; AES-256-CBC). */
export async function pbes2Encrypt(
  plain: Uint8Array,
  password: string,
  iterations: number,
): Promise<Encrypted> {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(16);
  const key = await derive(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  const kdf = new Pbkdf2Params({
    salt: new OctetString(salt),
    iterationCount: iterations,
    prf: new AlgorithmIdentifier({ algorithm: oidOf(HMAC_OIDS, 'sha256'), parameters: null }),
  });
  const params = new Pbes2Params({
    keyDerivationFunc: new AlgorithmIdentifier({
      algorithm: OID.pbkdf2,
      parameters: AsnConvert.serialize(kdf),
    }),
    encryptionScheme: new AlgorithmIdentifier({
      algorithm: oidOf(AES_CBC_OIDS, 'aes-256-cbc'),
      parameters: AsnConvert.serialize(new OctetString(iv)),
    }),
  });
  const algorithm = new AlgorithmIdentifier({
    algorithm: OID.pbes2,
    parameters: AsnConvert.serialize(params),
  });
  return { algorithm, ciphertext: new Uint8Array(ciphertext) };
}

function refuse(what: string, detail: string): never {
  throw new ExternalError(`${what} uses ${detail}, which certops cannot read`);
}

/**
 * Decrypts PBES2 `ciphertext`. Throws an ExternalError naming `what` for unsupported parameters
 * and for a wrong password (bad padding; callers check the MAC first, so this is rare).
 */
export async function pbes2Decrypt(
  algorithm: AlgorithmIdentifier,
  ciphertext: Uint8Array,
  password: string,
  what: string,
): Promise<Uint8Array> {
  if (algorithm.algorithm !== OID.pbes2 || !algorithm.parameters)
    refuse(what, `encryption ${algorithm.algorithm}`);
  const params = AsnConvert.parse(algorithm.parameters, Pbes2Params);
  const kdf = params.keyDerivationFunc;
  if (kdf.algorithm !== OID.pbkdf2 || !kdf.parameters)
    refuse(what, `key derivation ${kdf.algorithm}`);
  const p = AsnConvert.parse(kdf.parameters, Pbkdf2Params);
  const prf = HMAC_OIDS[p.prf?.algorithm ?? oidOf(HMAC_OIDS, 'sha1')];
  const cipherName = AES_CBC_OIDS[params.encryptionScheme.algorithm];
  const iterations = Number(p.iterationCount);
  if (prf === undefined) refuse(what, `PRF ${p.prf?.algorithm}`);
  if (cipherName === undefined) refuse(what, `cipher ${params.encryptionScheme.algorithm}`);
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS)
    refuse(what, `${p.iterationCount} PBKDF2 iterations`);
  const keyBytes = KEY_BYTES[cipherName] as number;
  if (p.keyLength !== undefined && Number(p.keyLength) !== keyBytes)
    refuse(what, `a ${p.keyLength}-byte key for ${cipherName}`);
  const ivDer = params.encryptionScheme.parameters;
  const iv = ivDer ? new Uint8Array(AsnConvert.parse(ivDer, OctetString).buffer) : undefined;
  if (iv?.length !== 16) refuse(what, `an initialisation vector that is not 16 bytes`);
  const pass = Buffer.from(password, 'utf8');
  const key = await derive(pass, new Uint8Array(p.salt.buffer), iterations, keyBytes, prf);
  try {
    const decipher = createDecipheriv(cipherName, key, iv);
    return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  } catch (err) {
    throw new ExternalError(`${what} cannot be decrypted: wrong password or damaged data`, {
      cause: err,
    });
  }
}
