// Propagation of a dns-01 record: the authorities are the configured nameserver and the zone's
// NS hosts whose addresses that server knows (in-zone names; others are skipped), asked
// non-recursively. Resolvers and caches are not asked: the CA queries the authorities.
import { ExternalError } from '../../../errors.ts';
import { formatDuration } from '../../../util/duration.ts';
import { query, type DnsClient } from './client.ts';
import { serverText, type Server } from './transport.ts';
import { TYPE } from './wire.ts';

export interface Propagation {
  /** Unsigned client for the configured nameserver. */
  client: DnsClient;
  /** Port the NS hosts are asked on. */
  nsPort: number;
  timeoutMs: number;
  intervalMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The configured server plus the zone's NS hosts it can resolve (best effort). */
async function authorities(o: Propagation, zone: string): Promise<Server[]> {
  const base = o.client;
  const servers = new Map([[serverText(base.server), base.server]]);
  const ns = await query(base, zone, TYPE.NS).catch(() => undefined);
  for (const target of ns?.answers.flatMap((r) => r.target ?? []) ?? []) {
    const a = await query(base, target, TYPE.A).catch(() => undefined);
    for (const host of a?.answers.flatMap((r) => r.address ?? []) ?? []) {
      const s = { host, port: o.nsPort };
      servers.set(serverText(s), s);
    }
  }
  return [...servers.values()];
}

/**
 * Polls every authority until each answers the record with the value; throws after the
 * timeout naming the record and the servers still without it. Bounded both by the clock and by
 * the time slept, so a frozen clock cannot poll forever.
 */
export async function waitVisible(
  o: Propagation,
  p: { record: string; value: string; zone: string },
): Promise<void> {
  const { timeoutMs: timeout, intervalMs: interval, sleep } = o;
  const base = o.client;
  const deadline = base.clock.now().getTime() + timeout;
  let slept = 0;
  let waiting = await authorities(o, p.zone);
  const why = new Map<string, string>();
  for (;;) {
    const still: Server[] = [];
    for (const s of waiting) {
      const seen = await query({ ...base, server: s, tries: 1 }, p.record, TYPE.TXT).then(
        (m) => {
          why.delete(serverText(s));
          return m.answers.some((r) => r.name === p.record && r.txt?.join('') === p.value);
        },
        (e: unknown) => (why.set(serverText(s), (e as Error).message), false),
      );
      if (!seen) still.push(s);
    }
    waiting = still;
    if (waiting.length === 0) return;
    if (slept >= timeout || base.clock.now().getTime() >= deadline) break;
    await sleep(interval);
    slept += interval;
  }
  const names = waiting.map(serverText);
  const last = names.map((n) => why.get(n)).find((w) => w !== undefined);
  throw new ExternalError(
    `TXT record ${p.record}. with the challenge value is not visible at ${names.join(', ')} after ${formatDuration(timeout)}${last ? ` (last error: ${last})` : ''}`,
    {
      hint: 'Check that the nameserver is the zone’s primary and that its secondaries receive the update (NOTIFY, zone transfer); raise propagationTimeout if they are slow.',
    },
  );
}
