// The closed set of reasons a plan gives for a change. Part of the plan format (text and JSON);
// add codes, never rename them. Documented in docs/reference/plan.md.
export const REASONS = {
  NotIssued: 'The certificate is declared but certops has never issued it (or it was retired).',
  RenewalWindow:
    'The certificate is inside its renewal window (renewBefore, or renewBeforePercentage of its lifetime), or expired.',
  SpecChanged:
    'Names, subject, usages, validity, issuer or profile changed: a new certificate replaces the old one.',
  KeyPolicyChanged:
    'The key algorithm or size changed: a new key and certificate replace the old ones.',
  TargetAdded: 'The certificate is declared on a target it has not been deployed to.',
  TargetRemoved: 'A target was removed from the certificate: its files are removed there.',
  Retired:
    'The certificate was removed from certs.d or set to state retired: it is removed from its targets and no longer renewed.',
  TargetDrift:
    'A target no longer holds the recorded certificate (changed, missing or unreachable content): it is deployed again.',
} as const;

export type ReasonCode = keyof typeof REASONS;

export interface Reason {
  code: ReasonCode;
  /** One line for people: what exactly differs. */
  message: string;
}
