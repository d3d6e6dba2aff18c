// Reading a PFX back (verify, drift, read-back): MAC first, then PBES2-decrypted or plain
// SafeContents. Reads what encodePkcs12 and OpenSSL 3 write (PBES2 only: legacy RC2/3DES
// PKCS#12 PBEs are refused). The file is untrusted: every failure is an ExternalError naming `what`.
import type { KeyObject } from 'node:crypto';
import { createPublicKey, createPrivateKey, X509Certificate } from 'node:crypto';
import type { ContentInfo } from '@peculiar/asn1-cms';
import {
  AuthenticatedSafe,
  CertBag,
  PFX,
  PKCS8ShroudedKeyBag,
  SafeContents,
} from '@peculiar/asn1-pfx';
import {
  id_certBag,
  id_keyBag,
  id_pkcs8ShroudedKeyBag,
  id_x509Certificate,
} from '@peculiar/asn1-pfx';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertopsError, ExternalError } from '../errors.ts';
import { OID, Pkcs7EncryptedData, octetStringValue } from './pkcs12-asn1.ts';
import { verifyMacData } from './pkcs12-mac.ts';
import { pbes2Decrypt } from './pkcs12-pbes2.ts';

export interface Pkcs12Contents {
  /** Every certificate (DER), in file order. */
  certificates: Uint8Array[];
  /** PKCS#8 DER of each private key, in file order. */
  privateKeys: Uint8Array[];
  /** The certificate whose public key is the first private key's, if any. */
  leaf: Uint8Array | undefined;
  /** The certificates other than the leaf, in file order. */
  chain: Uint8Array[];
}

async function safeContents(
  info: ContentInfo,
  password: string,
  what: string,
): Promise<SafeContents> {
  if (info.contentType === OID.data)
    return AsnConvert.parse(octetStringValue(info.content), SafeContents);
  if (info.contentType !== OID.encryptedData)
    throw new ExternalError(
      `${what} holds content of type ${info.contentType}, which certops cannot read`,
    );
  const eci = AsnConvert.parse(info.content, Pkcs7EncryptedData).encryptedContentInfo;
  const sealed = eci.encryptedContent?.value ?? eci.encryptedContent?.constructedValue?.[0];
  if (sealed === undefined) throw new ExternalError(`${what} holds empty encrypted content`);
  const plain = await pbes2Decrypt(
    eci.contentEncryptionAlgorithm,
    new Uint8Array(sealed.buffer),
    password,
    what,
  );
  return AsnConvert.parse(plain, SafeContents);
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/** Leaf = the certificate carrying the first key's public key. */
function findLeaf(certs: Uint8Array[], keys: Uint8Array[]): Uint8Array | undefined {
  const first = keys[0];
  if (first === undefined) return undefined;
  const want = spki(
    createPublicKey(createPrivateKey({ key: Buffer.from(first), format: 'der', type: 'pkcs8' })),
  );
  return certs.find((c) => spki(new X509Certificate(c).publicKey).equals(want));
}

async function decode(der: Uint8Array, password: string, what: string): Promise<Pkcs12Contents> {
  const pfx = AsnConvert.parse(der, PFX);
  if (pfx.version !== 3 || pfx.authSafe.contentType !== OID.data)
    throw new ExternalError(`${what} is not a password-integrity PKCS#12 file (v3, data)`);
  const authSafe = octetStringValue(pfx.authSafe.content);
  verifyMacData(pfx.macData, authSafe, password, what);
  const certificates: Uint8Array[] = [];
  const privateKeys: Uint8Array[] = [];
  for (const info of AsnConvert.parse(authSafe, AuthenticatedSafe)) {
    for (const bag of await safeContents(info, password, what)) {
      if (bag.bagId === id_certBag) {
        const cert = AsnConvert.parse(bag.bagValue, CertBag);
        if (cert.certId === id_x509Certificate) certificates.push(octetStringValue(cert.certValue));
      } else if (bag.bagId === id_pkcs8ShroudedKeyBag) {
        const shrouded = AsnConvert.parse(bag.bagValue, PKCS8ShroudedKeyBag);
        const sealed = new Uint8Array(shrouded.encryptedData.buffer);
        privateKeys.push(await pbes2Decrypt(shrouded.encryptionAlgorithm, sealed, password, what));
      } else if (bag.bagId === id_keyBag) {
        privateKeys.push(new Uint8Array(bag.bagValue));
      }
    }
  }
  const leaf = findLeaf(certificates, privateKeys);
  return { certificates, privateKeys, leaf, chain: certificates.filter((c) => c !== leaf) };
}

/**
 * Checks the MAC with `password`, decrypts, and returns what the file holds. Throws an
 * ExternalError for a wrong password (MAC), unsupported algorithms, and malformed content.
 */
export async function decodePkcs12(
  der: Uint8Array,
  password: string,
  what = 'PKCS#12 file',
): Promise<Pkcs12Contents> {
  try {
    return await decode(der, password, what);
  } catch (err) {
    if (err instanceof CertopsError) throw err;
    throw new ExternalError(`${what} is not a readable PKCS#12 file`, { cause: err });
  }
}
