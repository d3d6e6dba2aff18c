// Certificate facts from Node's built-in X509Certificate (several thousand per second; the hot
// path for discovery and plans). Building certificates is in x509-lib.ts (@peculiar/x509).
import { createHash, X509Certificate } from 'node:crypto';
import { ExternalError } from '../errors.ts';
import { keyAlgorithmLabel, keySpecOf } from './keys.ts';
import { pemDecodeOne } from './pem.ts';
import { parseSubjectAltName } from './san.ts';

export interface CertificateInfo {
  /** Lower-case hex, as DER holds it. */
  serial: string;
  fingerprintSha256: string;
  notBefore: string; // RFC 3339, UTC, whole seconds
  notAfter: string;
  /** Distinguished names as `CN=x, O=y` in encoded order, RFC 4514 escaping. */
  subject: string;
  issuer: string;
  commonName: string | undefined;
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  isCA: boolean;
  /** e.g. ECDSA-P256, RSA-3072, Ed25519; `unknown (<type>)` for others. */
  publicKeyAlgorithm: string;
  /** Extended key usage OIDs (empty when the extension is absent). */
  extendedKeyUsages: string[];
}

/** SHA-256 of a certificate's DER (lower-case hex); PEM input uses its single CERTIFICATE block. */
export function fingerprintSha256(pemOrDer: string | Uint8Array): string {
  const der =
    typeof pemOrDer === 'string' ? pemDecodeOne(pemOrDer, 'CERTIFICATE', 'certificate') : pemOrDer;
  return createHash('sha256').update(der).digest('hex');
}

/** Parses one certificate (a PEM holding exactly one CERTIFICATE block, or DER). */
export function parseCertificate(
  pemOrDer: string | Uint8Array,
  what = 'certificate',
): CertificateInfo {
  const der = typeof pemOrDer === 'string' ? pemDecodeOne(pemOrDer, 'CERTIFICATE', what) : pemOrDer;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(der.buffer, der.byteOffset, der.byteLength));
  } catch (err) {
    throw new ExternalError(`${what} is not a valid X.509 certificate`, { cause: err });
  }
  return certificateInfo(cert, der);
}

/** Facts of an already parsed certificate. */
export function certificateInfo(
  cert: X509Certificate,
  der: Uint8Array = cert.raw,
): CertificateInfo {
  const san = parseSubjectAltName(cert.subjectAltName);
  const spec = keySpecOf(cert.publicKey);
  return {
    serial: cert.serialNumber.toLowerCase(),
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
    notBefore: rfc3339(cert.validFrom),
    notAfter: rfc3339(cert.validTo),
    subject: dnString(cert.subject),
    issuer: dnString(cert.issuer),
    commonName: commonNameOf(cert.subject),
    ...san,
    isCA: cert.ca,
    publicKeyAlgorithm: spec
      ? keyAlgorithmLabel(spec)
      : `unknown (${cert.publicKey.asymmetricKeyType})`,
    extendedKeyUsages: cert.keyUsage ?? [],
  };
}

/** Node prints `Jan  1 00:00:00 2026 GMT`; RFC 3339 without fractional seconds. */
function rfc3339(nodeTime: string): string {
  const ms = Date.parse(nodeTime);
  if (Number.isNaN(ms)) throw new ExternalError(`certificate has an unreadable time "${nodeTime}"`);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Node gives one `KEY=value` per line (values already RFC 2253-escaped). */
function dnString(nodeDn: string | undefined): string {
  return (nodeDn ?? '').split('\n').filter(Boolean).join(', ');
}

function commonNameOf(nodeDn: string | undefined): string | undefined {
  const line = (nodeDn ?? '').split('\n').find((l) => l.startsWith('CN='));
  return line === undefined ? undefined : line.slice(3).replace(/\\(.)/g, '$1');
}
