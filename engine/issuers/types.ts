// The issuer provider interface. One folder per issuer type (ca, selfSigned, later acme), each
// registered in issuers/index.ts. Issuance is idempotent per operation id: asking again with the
// same operationId returns the certificate already issued for it instead of issuing twice.
import type { Clock } from '../clock.ts';
import type { KeyPair } from '../crypto/types.ts';
import type { IssuerSpec, TargetSpec } from '../model/types.generated.ts';
import type { SuggestedWindow } from '../plan/checks.ts';
import type { CommandRunner, TargetContext } from '../targets/types.ts';

export interface IssueRequest {
  /** Deterministic id of the lifecycle operation (journaled before issuing). */
  operationId: string;
  /** Certificate object name, for records and logs. */
  certificate: string;
  commonName?: string;
  subject?: {
    organization?: string;
    organizationalUnit?: string;
    country?: string;
    province?: string;
    locality?: string;
  };
  /** Already normalised: lower-case ASCII (punycode). */
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  keyUsages: string[];
  extendedKeyUsages: string[];
  /** Requested validity; the issuer may cap it (maxValidity, its own expiry). */
  notBefore: Date;
  notAfter: Date;
  /** The subject key pair (the private key is used only to sign a CSR where a CA needs one). */
  key: KeyPair;
  /** ACME profile for this certificate (overrides the Issuer's). */
  acmeProfile?: string;
  /** The certificate (PEM) this one succeeds, from the same issuer (ACME `replaces`). */
  replaces?: string;
  /**
   * Milestones an issuer reports once they are durable on its side (ACME: `ordered`, with the
   * order URL). The lifecycle journals them to the state branch; nothing secret goes in.
   */
  progress?: (step: 'ordered', detail: Record<string, string>) => Promise<void>;
}

export interface IssuedCertificate {
  /** Leaf certificate, PEM. */
  certificatePem: string;
  /** Intermediates, leaf's issuer first, PEM concatenated ('' when none). Never the root. */
  chainPem: string;
  /** Lower-case hex, no leading zeros stripped beyond what DER holds. */
  serial: string;
  /** SHA-256 of the leaf DER, lower-case hex. */
  fingerprintSha256: string;
  notBefore: string; // RFC 3339
  notAfter: string; // RFC 3339
  /** Issuer distinguished name of the leaf. */
  issuerDn: string;
}

export interface IssuerContext {
  /** The issuer object's name in certs.d. */
  name: string;
  spec: IssuerSpec;
  /** $CERTOPS_HOME: where CA keys, issuance records and other local secrets live (never the repo). */
  home: string;
  clock: Clock;
  /** Relative paths an issuer writes (an ACME webroot) resolve against this, as targets do. */
  deployRoot?: string;
  /** Runs hooks (ACME dns-01 exec); the real process runner when absent. */
  runner?: CommandRunner;
  /** Resolves secret references ({ env } / { file }), e.g. an ACME EAB HMAC key. */
  secrets?: TargetContext['secrets'];
  /**
   * The spec of a declared, valid Target by name, or undefined (the ACME http-01 solver writes
   * into an nginx Target's directory and runs its config test and reload).
   */
  target?: (name: string) => TargetSpec | undefined;
}

/** RFC 5280 §5.3.1 revocation reasons (the ones a CA may be asked for). */
export const REVOCATION_REASON_CODES = {
  unspecified: 0,
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  privilegeWithdrawn: 9,
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASON_CODES;

export interface IssuerProvider {
  /**
   * Whether issue() may run for several operations of the same issuer at once (a remote CA
   * that orders independently). Absent: the applier issues from this issuer one at a time.
   */
  readonly parallel?: boolean;
  /** Issues (or, for a known operationId, returns the earlier result). */
  issue(ctx: IssuerContext, req: IssueRequest): Promise<IssuedCertificate>;
  /** Marks a certificate as no longer in use (superseded, retired); CAs may record it. */
  retire?(
    ctx: IssuerContext,
    serial: string,
    reason: 'superseded' | 'cessationOfOperation',
  ): Promise<void>;
  /**
   * The CA's suggested renewal window for an issued certificate (ACME Renewal Information), or
   * undefined when the CA offers none; throws ExternalError when asking fails.
   */
  renewalInfo?(ctx: IssuerContext, certificatePem: string): Promise<SuggestedWindow | undefined>;
  /** Asks the CA to revoke the certificate; resolves once the CA has accepted. */
  revoke?(ctx: IssuerContext, certificatePem: string, reason: RevocationReason): Promise<void>;
}
