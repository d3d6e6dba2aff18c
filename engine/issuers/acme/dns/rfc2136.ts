// dns-01 through RFC 2136 dynamic updates. present: find the zone (configured, or the SOA
// owner the nameserver reports for the record), add `_acme-challenge.<name>. TXT <value>` with
// a TSIG-signed UPDATE, then wait until the authoritative servers answer with the value.
// cleanup: delete exactly that record (class NONE), leaving other values of the name alone
// (a wildcard and its base name share the record name). The TSIG secret is resolved once,
// on first use, and never logged or put in an error.
import type { Clock } from '../../../clock.ts';
import { ExternalError, UsageError } from '../../../errors.ts';
import type { Challenge, Solver } from '../solvers.ts';
import { query, update, type DnsClient } from './client.ts';
import { isSubdomain, normalizeName } from './names.ts';
import { realSleep, waitVisible } from './propagation.ts';
import { serverText, type Exchange, type Server } from './transport.ts';
import type { TsigKey } from './tsig.ts';
import { CLASS, TYPE, txtRdata, type OutRecord } from './wire.ts';

export interface Rfc2136Options {
  /** The zone's primary (where UPDATEs go). */
  nameserver: Server;
  /** Normalised zone; found by SOA lookup at the nameserver when absent. */
  zone?: string;
  /** TTL of the TXT record (default 60 s). */
  ttl?: number;
  /** Resolves the TSIG key (undefined: unsigned updates, for servers that allow them by address). */
  key: () => Promise<TsigKey | undefined>;
  /** How long present waits for the record to be visible (default 60 s). */
  propagationTimeoutMs?: number;
  /** Pause between propagation checks (default 2 s). */
  pollIntervalMs?: number;
  /** Port the zone's NS hosts are asked on (default: the nameserver's port, usually 53). */
  nsPort?: number;
  clock: Clock;
  sleep?: (ms: number) => Promise<void>;
  exchange?: Exchange;
  /** Per DNS try (default 2 s). */
  timeoutMs?: number;
}

interface Presented {
  record: string;
  zone: string;
  value: string;
}
/**
 * The zone a record belongs to: `configured` (checked to contain it), or the owner of the SOA
 * the nameserver reports for it.
 */
export async function findZone(
  base: DnsClient,
  record: string,
  configured?: string,
  solver = 'rfc2136',
): Promise<string> {
  const at = serverText(base.server);
  if (configured !== undefined) {
    if (!isSubdomain(record, configured))
      throw new UsageError(
        `dns-01 record ${record}. is outside the ${solver} solver's zone ${configured}`,
        'Fix the solver’s zone, or limit the solver to its zone with dnsZones.',
      );
    return configured;
  }
  const hint =
    'Point nameserver at the primary of the name’s zone, set the zone explicitly, or limit the solver with dnsZones.';
  let m;
  try {
    m = await query(base, record, TYPE.SOA);
  } catch (e) {
    if (!(e instanceof ExternalError)) throw e;
    throw new ExternalError(`cannot find the DNS zone of ${record}. at ${at}: ${e.message}`, {
      hint,
      cause: e,
    });
  }
  const soa = [...m.answers, ...m.authority].find((r) => r.type === TYPE.SOA);
  if (!soa || !isSubdomain(record, soa.name))
    throw new ExternalError(`${at} is not authoritative for ${record}. (no SOA for its zone)`, {
      hint,
    });
  return soa.name;
}

export function rfc2136Solver(opts: Rfc2136Options): Solver {
  const base = {
    server: opts.nameserver,
    clock: opts.clock,
    ...(opts.exchange ? { exchange: opts.exchange } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  };
  let key: Promise<TsigKey | undefined> | undefined;
  const signed = async (): Promise<DnsClient> => {
    key ??= opts.key();
    const k = await key;
    return k ? { ...base, key: k } : base;
  };
  const presented = new Map<string, Presented>();
  const txt = (p: Presented, cls: number): OutRecord => ({
    name: p.record,
    type: TYPE.TXT,
    class: cls,
    ttl: cls === CLASS.IN ? (opts.ttl ?? 60) : 0,
    rdata: txtRdata(p.value),
  });

  const zoneOf = (record: string): Promise<string> => findZone(base, record, opts.zone);

  async function cleanup(name: string, ch: Challenge): Promise<void> {
    const p = presented.get(`${name} ${ch.token}`);
    if (!p) return;
    await update(await signed(), p.zone, [txt(p, CLASS.NONE)], `delete TXT ${p.record}.`);
    presented.delete(`${name} ${ch.token}`);
  }

  return {
    type: 'dns-01',
    async present(name, ch, keyAuthorization) {
      const record = normalizeName(`_acme-challenge.${name.replace(/^\*\./, '')}`);
      const p: Presented = { record, zone: await zoneOf(record), value: keyAuthorization };
      await update(await signed(), p.zone, [txt(p, CLASS.IN)], `add TXT ${record}.`);
      presented.set(`${name} ${ch.token}`, p);
      try {
        await waitVisible(
          {
            client: base,
            nsPort: opts.nsPort ?? opts.nameserver.port,
            timeoutMs: opts.propagationTimeoutMs ?? 60_000,
            intervalMs: opts.pollIntervalMs ?? 2000,
            sleep: opts.sleep ?? realSleep,
          },
          p,
        );
      } catch (e) {
        // The issuer cleans up only challenges that were presented: remove the record here.
        await cleanup(name, ch).catch(() => undefined);
        throw e;
      }
    },
    cleanup,
    async close() {},
  };
}
