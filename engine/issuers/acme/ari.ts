// ACME Renewal Information (RFC 9773): the CA's suggested renewal window for a certificate.
// The certificate is named by its ARI identifier, base64url(authority key identifier) "."
// base64url(serial number DER content). The response is untrusted: a window must be two RFC
// 3339 times, start before end; anything else is an error the caller turns into a fallback
// to renewBefore.
import acme from 'acme-client';
import { X509Certificate } from 'node:crypto';
import { x509 } from '../../crypto/x509-lib.ts';
import { ExternalError } from '../../errors.ts';
import type { SuggestedWindow } from '../../plan/checks.ts';

const b64url = (hex: string): string => Buffer.from(hex, 'hex').toString('base64url');

/** The ARI certificate identifier from the AKI key identifier and serial, both hex. */
export function ariCertId(akiHex: string, serialHex: string): string {
  return `${b64url(akiHex)}.${b64url(serialHex.length % 2 ? `0${serialHex}` : serialHex)}`;
}

export function certIdOf(certificatePem: string): string {
  const aki = new x509.X509Certificate(certificatePem).getExtension(
    x509.AuthorityKeyIdentifierExtension,
  )?.keyId;
  if (!aki)
    throw new ExternalError('the certificate has no authority key identifier (needed for ARI)');
  return ariCertId(aki, new X509Certificate(certificatePem).serialNumber);
}

/** Validates a renewalInfo response body. */
export function parseRenewalInfo(body: unknown): SuggestedWindow {
  const w = (body as { suggestedWindow?: { start?: unknown; end?: unknown } } | null)
    ?.suggestedWindow;
  const start = typeof w?.start === 'string' ? Date.parse(w.start) : NaN;
  const end = typeof w?.end === 'string' ? Date.parse(w.end) : NaN;
  if (!Number.isFinite(start) || !Number.isFinite(end) || !(start < end))
    throw new ExternalError('the CA answered renewalInfo without a valid suggestedWindow');
  return { start, end };
}

/** The CA's window, or undefined when its directory offers no renewalInfo. */
export async function fetchRenewalInfo(
  directoryUrl: string,
  certificatePem: string,
): Promise<SuggestedWindow | undefined> {
  const dir = (await acme.axios.get(directoryUrl, { timeout: 10_000 })).data as {
    renewalInfo?: unknown;
  };
  if (typeof dir?.renewalInfo !== 'string') return undefined;
  const url = `${dir.renewalInfo.replace(/\/$/, '')}/${certIdOf(certificatePem)}`;
  const res = await acme.axios.get(url, { timeout: 10_000 });
  return parseRenewalInfo(res.data);
}
