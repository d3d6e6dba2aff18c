// What targets need to know about deployed PEM files: the certificates in a file, a leaf's
// fingerprint, and whether a key belongs to a certificate. File contents are untrusted input
// (anyone with write access to the directory may have changed them): parse failures become
// ExternalErrors or `undefined`, never crashes. Independent of engine/crypto on purpose.
import { X509Certificate, createPublicKey } from 'node:crypto';
import { ExternalError } from '../errors.ts';

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The CERTIFICATE blocks in `text`, in order, each ending with a newline. */
export function certificateBlocks(text: string): string[] {
  return (text.match(CERT_BLOCK) ?? []).map((b) => `${b}\n`);
}

/** SHA-256 fingerprint (lower-case hex, no colons) of the first certificate in `pem`. */
export function fingerprintOfPem(pem: string, what: string): string {
  const first = certificateBlocks(pem)[0];
  if (first === undefined) throw new ExternalError(`${what} holds no PEM certificate`);
  try {
    return new X509Certificate(first).fingerprint256.replaceAll(':', '').toLowerCase();
  } catch (err) {
    throw new ExternalError(`${what} holds a certificate that cannot be parsed`, { cause: err });
  }
}

/** Like fingerprintOfPem, but undefined instead of an error (for observation). */
export function tryFingerprint(pem: string): string | undefined {
  try {
    return fingerprintOfPem(pem, 'file');
  } catch {
    return undefined;
  }
}

/** True when the private key in `keyPem` belongs to the first certificate in `certPem`. */
export function keyMatchesCertificate(keyPem: string, certPem: string): boolean {
  try {
    const first = certificateBlocks(certPem)[0];
    if (first === undefined) return false;
    const fromKey = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
    const fromCert = new X509Certificate(first).publicKey.export({ type: 'spki', format: 'der' });
    return fromKey.equals(fromCert);
  } catch {
    return false;
  }
}
