// ASN.1 structures PKCS#12 needs that the @peculiar/asn1-* packages do not define: PBES2 and
// PBKDF2 parameters (RFC 8018 A.2, A.4) and PKCS#7 EncryptedData (RFC 2315 §13). Decorators are
// applied by call (the project compiles without decorator syntax); the effect is the same. Also
// the small DER pieces encodePkcs12 needs: OCTET STRING, BMPString, bag attributes.
import { EncryptedContentInfo } from '@peculiar/asn1-cms';
import {
  AsnConvert,
  AsnProp,
  AsnPropTypes,
  AsnType,
  AsnTypeTypes,
  OctetString,
} from '@peculiar/asn1-schema';
import { PKCS12Attribute } from '@peculiar/asn1-pfx';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { ExternalError } from '../errors.ts';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
} as const;

/** PBKDF2 PRFs (RFC 8018 B.1.2) by OID, as Node digest names. */
export const HMAC_OIDS: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

/** AES-CBC ciphers (NIST OIDs) as Node cipher names; parameters are the 16-byte IV. */
export const AES_CBC_OIDS: Readonly<Record<string, string>> = {
  '2.16.840.1.101.3.4.1.2': 'aes-128-cbc',
  '2.16.840.1.101.3.4.1.22': 'aes-192-cbc',
  '2.16.840.1.101.3.4.1.42': 'aes-256-cbc',
};

/** Hash algorithm OIDs (NIST, and SHA-1) as Node digest names, for the MAC's DigestInfo. */
export const DIGEST_OIDS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** The OID of `name` in `table`; throws on a name this module never writes. */
export function oidOf(table: Readonly<Record<string, string>>, name: string): string {
  const oid = Object.keys(table).find((k) => table[k] === name);
  if (oid === undefined) throw new Error(`no OID for ${name}`);
  return oid;
}

/** PBKDF2-params; only the `specified` (OCTET STRING) salt choice is supported. */
export class Pbkdf2Params {
  salt = new OctetString();
  iterationCount = 0;
  keyLength?: number;
  /** Absent means hmacWithSHA1 (the ASN.1 DEFAULT). */
  prf?: AlgorithmIdentifier;
  constructor(params: Partial<Pbkdf2Params> = {}) {
    Object.assign(this, params);
  }
}
AsnType({ type: AsnTypeTypes.Sequence })(Pbkdf2Params);
AsnProp({ type: OctetString })(Pbkdf2Params.prototype, 'salt');
AsnProp({ type: AsnPropTypes.Integer })(Pbkdf2Params.prototype, 'iterationCount');
AsnProp({ type: AsnPropTypes.Integer, optional: true })(Pbkdf2Params.prototype, 'keyLength');
AsnProp({ type: AlgorithmIdentifier, optional: true })(Pbkdf2Params.prototype, 'prf');

export class Pbes2Params {
  keyDerivationFunc = new AlgorithmIdentifier();
  encryptionScheme = new AlgorithmIdentifier();
  constructor(params: Partial<Pbes2Params> = {}) {
    Object.assign(this, params);
  }
}
AsnType({ type: AsnTypeTypes.Sequence })(Pbes2Params);
AsnProp({ type: AlgorithmIdentifier })(Pbes2Params.prototype, 'keyDerivationFunc');
AsnProp({ type: AlgorithmIdentifier })(Pbes2Params.prototype, 'encryptionScheme');

/** PKCS#7 EncryptedData: version 0, no unprotected attributes. */
export class Pkcs7EncryptedData {
  version = 0;
  encryptedContentInfo = new EncryptedContentInfo();
  constructor(params: Partial<Pkcs7EncryptedData> = {}) {
    Object.assign(this, params);
  }
}
AsnType({ type: AsnTypeTypes.Sequence })(Pkcs7EncryptedData);
AsnProp({ type: AsnPropTypes.Integer })(Pkcs7EncryptedData.prototype, 'version');
AsnProp({ type: EncryptedContentInfo })(Pkcs7EncryptedData.prototype, 'encryptedContentInfo');

/** DER of an OCTET STRING holding `bytes`. */
export function octetStringDer(bytes: Uint8Array): ArrayBuffer {
  return AsnConvert.serialize(new OctetString(bytes));
}

/** The bytes inside a DER OCTET STRING. */
export function octetStringValue(der: ArrayBuffer | Uint8Array): Uint8Array {
  return new Uint8Array(AsnConvert.parse(der, OctetString).buffer);
}

/** DER BMPString (UTF-16BE), for friendlyName. */
export function bmpStringDer(text: string): ArrayBuffer {
  const body = Buffer.from(text, 'utf16le').swap16();
  if (body.length > 0xffff) throw new ExternalError('the PKCS#12 friendly name is too long');
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return new Uint8Array(Buffer.concat([Buffer.from([0x1e, ...len]), body])).buffer;
}

/**
 * A bag attribute. Fields are set after construction: PKCS12Attribute's constructor drops its
 * argument (`Object.assign(params)` in @peculiar/asn1-pfx 2.11.1).
 */
export function attribute(attrId: string, value: ArrayBuffer): PKCS12Attribute {
  return Object.assign(new PKCS12Attribute(), { attrId, attrValues: [value] });
}
