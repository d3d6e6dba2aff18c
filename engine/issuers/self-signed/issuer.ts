// The selfSigned issuer: each leaf is signed by its own key (tests, bootstrapping). Same subject
// and extensions as the private CA's leaves, no chain, the requested validity as is. Not
// idempotent per operation: a repeated call signs again, which is harmless without a CA.
import { signLeaf, issuedCertificate } from '../sign.ts';
import type { IssuedCertificate, IssuerContext, IssuerProvider, IssueRequest } from '../types.ts';

async function issue(_ctx: IssuerContext, req: IssueRequest): Promise<IssuedCertificate> {
  const pem = await signLeaf({
    req,
    signer: undefined,
    notBefore: req.notBefore,
    notAfter: req.notAfter,
    urls: {},
  });
  return issuedCertificate(pem, '');
}

export const selfSignedIssuer: IssuerProvider = { issue };
