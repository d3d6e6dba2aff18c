// PKCS#12 (RFC 7292) output: a password-protected PFX holding a certificate, its chain and its
// private key, laid out the way OpenSSL 3 `openssl pkcs12 -export` does by default:
//
//   PFX v3, data → AuthenticatedSafe [
//     EncryptedData (PBES2): SafeContents [ CertBag(leaf; localKeyId, friendlyName?), CertBag(chain)… ]
//     Data:                  SafeContents [ PKCS8ShroudedKeyBag (PBES2; localKeyId, friendlyName?) ]
//   ], MacData HMAC-SHA256 (PKCS#12 KDF, ID 3)
//
// PBES2 is PBKDF2-HMAC-SHA256 + AES-256-CBC with random 16-byte salts and IVs (OpenSSL 3.0 uses
// 8-byte salts; 16 is the NIST SP 800-132 minimum), so two encodings of one input differ. The
// localKeyId is the SHA-1 of the leaf's DER, as OpenSSL sets it. Iterations default to 2048,
// OpenSSL 3's PKCS12_DEFAULT_ITER (checked against `openssl pkcs12 -export -info` of 3.0.19), for
// the key, the certificates and the MAC alike. The password and key never appear in errors.
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { ContentEncryptionAlgorithmIdentifier, ContentInfo } from '@peculiar/asn1-cms';
import { EncryptedContent, EncryptedContentInfo } from '@peculiar/asn1-cms';
import { AuthenticatedSafe, CertBag, PFX, SafeBag } from '@peculiar/asn1-pfx';
import type { PKCS12Attribute } from '@peculiar/asn1-pfx';
import { PKCS8ShroudedKeyBag, SafeContents } from '@peculiar/asn1-pfx';
import { id_certBag, id_pkcs8ShroudedKeyBag, id_x509Certificate } from '@peculiar/asn1-pfx';
import { EncryptedData } from '@peculiar/asn1-pkcs8';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { ExternalError } from '../errors.ts';
import { pemBlocks, pemDecodeOne } from './pem.ts';
import { OID, Pkcs7EncryptedData, attribute, bmpStringDer, octetStringDer } from './pkcs12-asn1.ts';
import { createMacData } from './pkcs12-mac.ts';
import { MAX_ITERATIONS, pbes2Encrypt } from './pkcs12-pbes2.ts';

export const PKCS12_DEFAULT_ITERATIONS = 2048;

export interface Pkcs12Input {
  /** The leaf certificate (one PEM block). */
  certificatePem: string;
  /** Intermediates as PEM, in order ('' when none). */
  chainPem: string;
  /** The leaf's private key, PEM (PKCS#8, or PKCS#1 / SEC1). Must match the certificate. */
  privateKeyPem: string;
  /** Non-empty; no NUL characters. */
  password: string;
  /** Alias shown by keytool, Windows and browsers; omitted when undefined. */
  friendlyName?: string;
  /** PBKDF2 and MAC iterations, 1 to 1,000,000 (default 2048). */
  iterations?: number;
}

/** Throws unless `password` can protect a PFX: empty and NUL-containing passwords are refused. */
export function checkPkcs12Password(password: string): void {
  if (typeof password !== 'string' || password.length === 0)
    throw new ExternalError('the PKCS#12 password is empty');
  if (password.includes('\0'))
    throw new ExternalError('the PKCS#12 password contains a NUL character');
}

const der = (obj: unknown): Uint8Array => new Uint8Array(AsnConvert.serialize(obj));

/** PKCS#8 DER of the key, refusing a key that does not belong to `leaf`. */
function keyFor(privateKeyPem: string, leaf: Uint8Array): Uint8Array {
  let key;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch (err) {
    throw new ExternalError('the private key for the PKCS#12 file cannot be read', { cause: err });
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(leaf);
  } catch (err) {
    throw new ExternalError('the certificate for the PKCS#12 file cannot be parsed', {
      cause: err,
    });
  }
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  if (!fromKey.equals(cert.publicKey.export({ type: 'spki', format: 'der' })))
    throw new ExternalError('the private key does not match the certificate for the PKCS#12 file');
  return new Uint8Array(key.export({ type: 'pkcs8', format: 'der' }));
}

function certBag(cert: Uint8Array, attrs?: PKCS12Attribute[]): SafeBag {
  const bag = new CertBag({ certId: id_x509Certificate, certValue: octetStringDer(cert) });
  return new SafeBag({
    bagId: id_certBag,
    bagValue: AsnConvert.serialize(bag),
    bagAttributes: attrs,
  });
}

/** Builds the PFX (DER). Throws an ExternalError for unreadable or mismatched input. */
export async function encodePkcs12(input: Pkcs12Input): Promise<Uint8Array> {
  const { password, iterations = PKCS12_DEFAULT_ITERATIONS } = input;
  checkPkcs12Password(password);
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS)
    throw new ExternalError(`PKCS#12 iterations must be 1 to ${MAX_ITERATIONS}, not ${iterations}`);
  const leaf = pemDecodeOne(input.certificatePem, 'CERTIFICATE', 'certificate');
  const chain = pemBlocks(input.chainPem, 'chain').map((b) => {
    if (b.label !== 'CERTIFICATE') throw new ExternalError(`chain holds a "${b.label}" block`);
    return b.der;
  });
  const pkcs8 = keyFor(input.privateKeyPem, leaf);

  const localKeyId = createHash('sha1').update(leaf).digest();
  const attrs = [attribute(OID.localKeyId, octetStringDer(localKeyId))];
  if (input.friendlyName !== undefined)
    attrs.push(attribute(OID.friendlyName, bmpStringDer(input.friendlyName)));

  const certs = der(new SafeContents([certBag(leaf, attrs), ...chain.map((c) => certBag(c))]));
  const sealedCerts = await pbes2Encrypt(certs, password, iterations);
  const encryptedCerts = new Pkcs7EncryptedData({
    encryptedContentInfo: new EncryptedContentInfo({
      contentType: OID.data,
      contentEncryptionAlgorithm: new ContentEncryptionAlgorithmIdentifier(sealedCerts.algorithm),
      encryptedContent: new EncryptedContent({ value: new OctetString(sealedCerts.ciphertext) }),
    }),
  });
  const sealedKey = await pbes2Encrypt(pkcs8, password, iterations);
  const shrouded = new PKCS8ShroudedKeyBag({
    encryptionAlgorithm: sealedKey.algorithm,
    encryptedData: new EncryptedData(sealedKey.ciphertext),
  });
  const keyBag = new SafeBag({
    bagId: id_pkcs8ShroudedKeyBag,
    bagValue: AsnConvert.serialize(shrouded),
    bagAttributes: attrs,
  });
  const authSafe = der(
    new AuthenticatedSafe([
      new ContentInfo({
        contentType: OID.encryptedData,
        content: AsnConvert.serialize(encryptedCerts),
      }),
      new ContentInfo({
        contentType: OID.data,
        content: octetStringDer(der(new SafeContents([keyBag]))),
      }),
    ]),
  );
  const pfx = new PFX({
    version: 3,
    authSafe: new ContentInfo({ contentType: OID.data, content: octetStringDer(authSafe) }),
    macData: createMacData(authSafe, password, iterations),
  });
  return der(pfx);
}
