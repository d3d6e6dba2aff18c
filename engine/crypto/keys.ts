// Key generation, PKCS#8 import/export and key labels, on Node's WebCrypto. Private keys are
// always extractable: the lifecycle writes them to targets and key stores (mode 0600).
import { createPrivateKey, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import { ExternalError, UsageError } from '../errors.ts';
import { pemBlocks, pemEncode } from './pem.ts';
import type { KeyFactory, KeyPair, KeySpec } from './types.ts';

const subtle = webcrypto.subtle;
const CURVES: Record<number, string> = { 256: 'P-256', 384: 'P-384', 521: 'P-521' };
const NODE_CURVES: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };
const RSA_SIZES = new Set([2048, 3072, 4096]);
const RSA_HASH = 'SHA-256';

/** The WebCrypto import/generate parameters for a spec; refuses sizes certops does not make. */
export function webCryptoParams(
  spec: KeySpec,
): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm {
  switch (spec.algorithm) {
    case 'ECDSA': {
      const namedCurve = CURVES[spec.size ?? 256];
      if (!namedCurve)
        throw new UsageError(`ECDSA keys are 256, 384 or 521 bits, not ${spec.size}`);
      return { name: 'ECDSA', namedCurve };
    }
    case 'RSA':
      return { name: 'RSASSA-PKCS1-v1_5', hash: RSA_HASH };
    case 'Ed25519':
      return { name: 'Ed25519' };
  }
}

async function generate(spec: KeySpec): Promise<KeyPair> {
  const params = webCryptoParams(spec);
  if (spec.algorithm === 'RSA') {
    const size = spec.size ?? 3072;
    if (!RSA_SIZES.has(size)) {
      throw new UsageError(`certops generates RSA keys of 2048, 3072 or 4096 bits, not ${size}`);
    }
    const rsa = { ...params, modulusLength: size, publicExponent: new Uint8Array([1, 0, 1]) };
    const pair = (await subtle.generateKey(rsa, true, ['sign', 'verify'])) as CryptoKeyPair;
    return { spec: { algorithm: 'RSA', size }, ...pair };
  }
  const pair = (await subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
  const size = spec.algorithm === 'ECDSA' ? (spec.size ?? 256) : undefined;
  return { spec: size === undefined ? { algorithm: spec.algorithm } : { ...spec, size }, ...pair };
}

/** The production KeyFactory: fresh keys from WebCrypto (RSA-3072 takes ~0.3 s each). */
export const webCryptoKeyFactory: KeyFactory = { generate };

/** ECDSA-P256, ECDSA-P384, ECDSA-P521, RSA-3072, Ed25519: for plans, records and policy. */
export function keyAlgorithmLabel(spec: KeySpec): string {
  switch (spec.algorithm) {
    case 'ECDSA':
      return `ECDSA-P${spec.size ?? 256}`;
    case 'RSA':
      return `RSA-${spec.size ?? 3072}`;
    case 'Ed25519':
      return 'Ed25519';
  }
}

/** The KeySpec of a Node key object, or undefined for algorithms certops does not handle. */
export function keySpecOf(key: KeyObject): KeySpec | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const size = NODE_CURVES[details.namedCurve ?? ''];
      return size === undefined ? undefined : { algorithm: 'ECDSA', size };
    }
    case 'rsa':
      return details.modulusLength ? { algorithm: 'RSA', size: details.modulusLength } : undefined;
    case 'ed25519':
      return { algorithm: 'Ed25519' };
    default:
      return undefined;
  }
}

/** PKCS#8 PEM of a private key. The result is a secret: write it only with mode 0600. */
export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  return pemEncode('PRIVATE KEY', new Uint8Array(await subtle.exportKey('pkcs8', key)));
}

/** DER SubjectPublicKeyInfo of a public key: the identity compared across issuances. */
export async function exportSpkiDer(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle.exportKey('spki', key));
}

/**
 * Imports one private key from PEM (PKCS#8, or legacy PKCS#1 / SEC1), detects its algorithm and
 * derives the public key. Encrypted keys, several keys, RSA-PSS and unknown curves are refused.
 */
export async function importPrivateKeyPem(pem: string, what = 'private key'): Promise<KeyPair> {
  const blocks = pemBlocks(pem, what);
  const keyBlocks = blocks.filter((b) => b.label.endsWith('PRIVATE KEY'));
  if (keyBlocks.length !== 1 || keyBlocks[0] === undefined) {
    throw new ExternalError(`${what}: expected one PEM private key, found ${keyBlocks.length}`);
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: keyBlocks[0].pem, format: 'pem' });
  } catch (err) {
    const encrypted = keyBlocks[0].label.includes('ENCRYPTED') || /Proc-Type/.test(pem);
    throw new ExternalError(`${what} cannot be read${encrypted ? ': it is encrypted' : ''}`, {
      hint: encrypted ? 'Store the key unencrypted, mode 0600.' : 'Expected a PKCS#8 PEM key.',
      cause: err,
    });
  }
  const spec = keySpecOf(keyObject);
  if (!spec) {
    const kind = `${keyObject.asymmetricKeyType} ${keyObject.asymmetricKeyDetails?.namedCurve ?? ''}`;
    throw new ExternalError(`${what} uses an unsupported algorithm (${kind.trim()})`, {
      hint: 'certops handles ECDSA P-256/P-384/P-521, RSA (PKCS#1 v1.5) and Ed25519 keys.',
    });
  }
  const params = webCryptoParams(spec);
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(keyObject).export({ type: 'spki', format: 'der' });
  const privateKey = await subtle.importKey('pkcs8', pkcs8, params, true, ['sign']);
  const publicKey = await subtle.importKey('spki', spki, params, true, ['verify']);
  return { spec, privateKey, publicKey };
}
