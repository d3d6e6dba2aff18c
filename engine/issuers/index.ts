// The issuer providers, by Issuer spec.type: the one explicit map the lifecycle looks types up
// in.
//
// Each provider module loads on first use: signing pulls in the X.509 stack (@peculiar/x509 and
// its ASN.1 modules, ~170 modules), which `plan`, `status` and `validate` never need.
import { UsageError } from '../errors.ts';
import type { IssuerProvider } from './types.ts';

function lazy(load: () => Promise<IssuerProvider>, parallel = false): IssuerProvider {
  let p: Promise<IssuerProvider> | undefined;
  const get = (): Promise<IssuerProvider> => (p ??= load());
  return {
    parallel,
    issue: async (ctx, req) => (await get()).issue(ctx, req),
    retire: async (ctx, serial, reason) => (await get()).retire?.(ctx, serial, reason),
    renewalInfo: async (ctx, pem) => (await get()).renewalInfo?.(ctx, pem),
    revoke: async (ctx, pem, reason) => {
      const p = await get();
      if (!p.revoke)
        throw new UsageError(`Issuer "${ctx.name}" (type ${ctx.spec.type}) cannot revoke`);
      return p.revoke(ctx, pem, reason);
    },
  };
}

export const ISSUERS: Record<'ca' | 'acme' | 'selfSigned', IssuerProvider> = {
  ca: lazy(async () => (await import('./ca/issuer.ts')).caIssuer),
  acme: lazy(async () => (await import('./acme/issuer.ts')).acmeIssuer, true),
  selfSigned: lazy(async () => (await import('./self-signed/issuer.ts')).selfSignedIssuer),
};
