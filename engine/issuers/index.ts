// The issuer providers, by Issuer spec.type: the one explicit map the lifecycle looks types up
// in. ACME (`acme`) joins this map in the next release, with its own folder.
import { caIssuer } from './ca/issuer.ts';
import { selfSignedIssuer } from './self-signed/issuer.ts';
import type { IssuerProvider } from './types.ts';

export const ISSUERS: Record<'ca' | 'selfSigned', IssuerProvider> = {
  ca: caIssuer,
  selfSigned: selfSignedIssuer,
};
