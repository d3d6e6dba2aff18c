// Signing with @peculiar/x509: the signature algorithm per key, key identifiers, leaf signing,
// and the IssuedCertificate facts read back from the DER that was actually produced.
import { x509 } from '../crypto/x509-lib.ts';
import { pemEncode } from '../crypto/pem.ts';
import { parseCertificate } from '../crypto/x509.ts';
import type { KeySpec } from '../crypto/types.ts';
import { UsageError } from '../errors.ts';
import { leafExtensions, leafSubject, type PublicationUrls } from './leaf-profile.ts';
import { randomSerialHex } from './serial.ts';
import type { IssuedCertificate, IssueRequest } from './types.ts';

/** ECDSA: SHA-256 on P-256, SHA-384 on P-384/P-521; RSA: PKCS#1 v1.5 SHA-256; Ed25519: pure. */
export function signingAlgorithm(spec: KeySpec): { name: string; hash?: string } {
  switch (spec.algorithm) {
    case 'ECDSA':
      return { name: 'ECDSA', hash: (spec.size ?? 256) === 256 ? 'SHA-256' : 'SHA-384' };
    case 'RSA':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case 'Ed25519':
      return { name: 'Ed25519' };
  }
}

/** Dates as X.509 stores them: whole seconds (so caps and records match the certificate). */
export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

/** The key identifier (RFC 5280 method 1, SHA-1 of the public key bits), hex. */
export async function keyIdentifier(publicKey: CryptoKey): Promise<string> {
  return (await x509.SubjectKeyIdentifierExtension.create(publicKey)).keyId;
}

/** Who signs a leaf: a CA (its name, key and key identifier) or, when absent, the leaf itself. */
export interface LeafSigner {
  name: x509.Name;
  privateKey: CryptoKey;
  spec: KeySpec;
  keyId: string;
}

export interface LeafParams {
  req: IssueRequest;
  /** undefined: self-signed with req.key. */
  signer: LeafSigner | undefined;
  notBefore: Date;
  notAfter: Date;
  urls: PublicationUrls;
}

/** Signs a leaf certificate; returns its PEM. */
export async function signLeaf(p: LeafParams): Promise<string> {
  if (wholeSeconds(p.notAfter) <= wholeSeconds(p.notBefore)) {
    throw new UsageError(`${p.req.certificate}: notAfter is not after notBefore`);
  }
  const subject = new x509.Name(leafSubject(p.req));
  const ownKeyId = await keyIdentifier(p.req.key.publicKey);
  const signer: LeafSigner = p.signer ?? {
    name: subject,
    privateKey: p.req.key.privateKey,
    spec: p.req.key.spec,
    keyId: ownKeyId,
  };
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject,
    issuer: signer.name,
    notBefore: wholeSeconds(p.notBefore),
    notAfter: wholeSeconds(p.notAfter),
    publicKey: p.req.key.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: signingAlgorithm(signer.spec),
    extensions: [
      ...leafExtensions(p.req, p.urls),
      new x509.SubjectKeyIdentifierExtension(ownKeyId),
      new x509.AuthorityKeyIdentifierExtension(signer.keyId),
    ],
  });
  return pemEncode('CERTIFICATE', new Uint8Array(cert.rawData));
}

/** The IssuedCertificate for a leaf PEM and its chain, read from the certificate itself. */
export function issuedCertificate(certificatePem: string, chainPem: string): IssuedCertificate {
  const info = parseCertificate(certificatePem);
  return {
    certificatePem,
    chainPem,
    serial: info.serial,
    fingerprintSha256: info.fingerprintSha256,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    issuerDn: info.issuer,
  };
}
