// From an Issuer's `dns01.rfc2136` entry to an rfc2136 solver. Checks what the schema cannot
// (address, zone name) when the solver is made; resolves the TSIG secret through the issuer's
// secret resolver on first use. A secret that cannot be read or decoded is reported by its
// reference, never by its value.
import { CertopsError, ExternalError } from '../../../errors.ts';
import type { AcmeIssuerSpec } from '../../../model/types.generated.ts';
import { parseDuration } from '../../../util/duration.ts';
import type { IssuerContext } from '../../types.ts';
import type { Solver } from '../solvers.ts';
import { normalizeName } from './names.ts';
import { realSleep, waitVisible } from './propagation.ts';
import { findZone, rfc2136Solver } from './rfc2136.ts';
import { parseServer } from './transport.ts';
import type { TsigKey } from './tsig.ts';

type Rfc2136Spec = NonNullable<
  NonNullable<NonNullable<AcmeIssuerSpec['solvers']>[number]['dns01']>['rfc2136']
>;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

async function tsigKey(ctx: IssuerContext, spec: Rfc2136Spec): Promise<TsigKey | undefined> {
  if (spec.tsigKeyName === undefined || spec.tsigSecret === undefined) return undefined;
  if (!ctx.secrets)
    throw new CertopsError('INTERNAL', 'rfc2136 tsigSecret needs a secret resolver');
  const where = `Issuer "${ctx.name}": dns01.rfc2136.tsigSecret`;
  let text: string;
  try {
    text = (await ctx.secrets(spec.tsigSecret)).trim();
  } catch (e) {
    if (!(e instanceof CertopsError)) throw e;
    throw new ExternalError(`${where}: ${e.message}`, {
      ...(e.hint ? { hint: e.hint } : {}),
      cause: e,
    });
  }
  if (!BASE64.test(text))
    throw new ExternalError(`${where} is not base64`, {
      hint: 'Give the secret exactly as in the server’s key statement (tsig-keygen prints it).',
    });
  return {
    name: normalizeName(spec.tsigKeyName),
    algorithm: spec.tsigAlgorithm ?? 'hmac-sha256',
    secret: Buffer.from(text, 'base64'),
  };
}

/** dns01.propagationTimeout in ms (undefined: the solver's default). */
function propagationMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const d = parseDuration(text);
  // validate rejects a bad duration first (bad-duration); this only guards direct callers.
  if (!d.ok) throw new CertopsError('INTERNAL', d.reason);
  return d.ms;
}

export function rfc2136From(
  ctx: IssuerContext,
  spec: Rfc2136Spec,
  propagationTimeout: string | undefined,
): Solver {
  const timeoutMs = propagationMs(propagationTimeout);
  return rfc2136Solver({
    nameserver: parseServer(spec.nameserver),
    ...(spec.zone === undefined ? {} : { zone: normalizeName(spec.zone) }),
    ...(spec.ttl === undefined ? {} : { ttl: spec.ttl }),
    ...(timeoutMs === undefined ? {} : { propagationTimeoutMs: timeoutMs }),
    key: () => tsigKey(ctx, spec),
    clock: ctx.clock,
  });
}

/**
 * The propagation check after an exec hook (`dns01.exec.nameserver`): waits until that
 * authoritative server, and the zone's NS hosts it knows, answer the TXT value, for up to
 * `propagationTimeout` (default 60 s).
 */
export function execPropagationCheck(
  ctx: IssuerContext,
  spec: { nameserver: string; zone?: string },
  propagationTimeout: string | undefined,
): (domain: string, value: string) => Promise<void> {
  const timeoutMs = propagationMs(propagationTimeout);
  const server = parseServer(spec.nameserver);
  const base = { server, clock: ctx.clock };
  const zone = spec.zone === undefined ? undefined : normalizeName(spec.zone);
  return async (domain, value) => {
    const record = normalizeName(`_acme-challenge.${domain.replace(/^\*\./, '')}`);
    await waitVisible(
      {
        client: base,
        nsPort: server.port,
        timeoutMs: timeoutMs ?? 60_000,
        intervalMs: 2000,
        sleep: realSleep,
      },
      { record, value, zone: await findZone(base, record, zone, 'exec') },
    );
  };
}
