// What goes into a leaf certificate, shared by every issuer that builds one itself (ca,
// selfSigned): the subject name and the extensions. Requests are checked here, because a bad
// value must be refused with its name, not surface as an ASN.1 library error.
import { isIP } from 'node:net';
import { PolicyDeniedError, UsageError } from '../errors.ts';
import { x509 } from '../crypto/x509-lib.ts';
import type { IssueRequest } from './types.ts';

/** URLs the issuer publishes for relying parties (CaIssuerSpec fields). */
export interface PublicationUrls {
  crlDistributionPoints?: string[] | undefined;
  ocspServers?: string[] | undefined;
  caIssuers?: string[] | undefined;
}

const KEY_USAGE: Record<string, x509.KeyUsageFlags> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  contentCommitment: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  encipherOnly: x509.KeyUsageFlags.encipherOnly,
  decipherOnly: x509.KeyUsageFlags.decipherOnly,
};
const CA_ONLY_USAGES = new Set(['keyCertSign', 'cRLSign']);

const EXTENDED_KEY_USAGE: Record<string, string> = {
  serverAuth: x509.ExtendedKeyUsage.serverAuth,
  clientAuth: x509.ExtendedKeyUsage.clientAuth,
  codeSigning: x509.ExtendedKeyUsage.codeSigning,
  emailProtection: x509.ExtendedKeyUsage.emailProtection,
  timeStamping: x509.ExtendedKeyUsage.timeStamping,
  OCSPSigning: x509.ExtendedKeyUsage.ocspSigning,
};

const MAX_CN = 64; // ub-common-name (RFC 5280)

/**
 * Subject: C, ST, L, O, OU, CN (most general first). The CN is the requested one, else the first
 * name that fits 64 characters, else the certificate object's name, so it is never empty.
 */
export function leafSubject(req: IssueRequest): x509.JsonName {
  if (req.commonName !== undefined && req.commonName.length > MAX_CN) {
    throw new UsageError(`${req.certificate}: commonName is longer than ${MAX_CN} characters`);
  }
  const names = [...req.dnsNames, ...req.ipAddresses, ...req.emailAddresses];
  const cn = req.commonName ?? names.find((n) => n.length <= MAX_CN) ?? req.certificate;
  const s = req.subject ?? {};
  const rdns: [string, string | undefined][] = [
    ['C', s.country],
    ['ST', s.province],
    ['L', s.locality],
    ['O', s.organization],
    ['OU', s.organizationalUnit],
    ['CN', cn],
  ];
  return rdns.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => ({ [k]: [v ?? ''] }));
}

/** End-entity extensions except SKI/AKI (those need the keys; see sign-leaf.ts). */
export function leafExtensions(req: IssueRequest, urls: PublicationUrls): x509.Extension[] {
  const exts: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  const ku = keyUsageFlags(req);
  if (ku !== 0) exts.push(new x509.KeyUsagesExtension(ku, true));
  if (req.extendedKeyUsages.length > 0) {
    const ekus = req.extendedKeyUsages.map((u) => {
      const oid = EXTENDED_KEY_USAGE[u];
      if (!oid) throw new UsageError(`${req.certificate}: unknown extended key usage "${u}"`);
      return oid;
    });
    exts.push(new x509.ExtendedKeyUsageExtension(ekus, false));
  }
  exts.push(new x509.SubjectAlternativeNameExtension(subjectAltNames(req), false));
  if (urls.crlDistributionPoints?.length) {
    exts.push(new x509.CRLDistributionPointsExtension(urls.crlDistributionPoints, false));
  }
  const ocsp = urls.ocspServers ?? [];
  const caIssuers = urls.caIssuers ?? [];
  if (ocsp.length > 0 || caIssuers.length > 0) {
    exts.push(new x509.AuthorityInfoAccessExtension({ ocsp, caIssuers }, false));
  }
  return exts;
}

function keyUsageFlags(req: IssueRequest): number {
  let flags = 0;
  for (const u of req.keyUsages) {
    if (CA_ONLY_USAGES.has(u)) {
      throw new PolicyDeniedError(
        `${req.certificate}: key usage "${u}" is for CA certificates; certops issues leaf certificates only`,
        `Remove "${u}" from keyUsages.`,
      );
    }
    const flag = KEY_USAGE[u];
    if (flag === undefined) throw new UsageError(`${req.certificate}: unknown key usage "${u}"`);
    flags |= flag;
  }
  return flags;
}

function subjectAltNames(req: IssueRequest): x509.JsonGeneralNames {
  const names: x509.JsonGeneralNames = [];
  for (const value of req.dnsNames) names.push({ type: 'dns', value });
  for (const value of req.ipAddresses) {
    if (isIP(value) === 0)
      throw new UsageError(`${req.certificate}: "${value}" is not an IP address`);
    names.push({ type: 'ip', value });
  }
  for (const value of req.emailAddresses) names.push({ type: 'email', value });
  for (const value of req.uris) names.push({ type: 'url', value });
  if (names.length === 0) {
    throw new UsageError(
      `${req.certificate}: a certificate needs at least one subject alternative name`,
    );
  }
  return names;
}
