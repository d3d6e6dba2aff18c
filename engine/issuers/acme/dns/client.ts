// A minimal DNS client for one server: non-recursive queries (zone discovery, propagation) and
// TSIG-signed RFC 2136 UPDATEs. An answer counts only when it matches the request (id, QR,
// opcode) and, for UPDATEs, carries a TSIG MAC that verifies; server refusals become
// ExternalErrors naming the RCODE (and TSIG error) with what to check.
import { randomInt } from 'node:crypto';
import type { Clock } from '../../../clock.ts';
import { ExternalError } from '../../../errors.ts';
import { malformed } from './names.ts';
import { exchange as udpTcpExchange, serverText, type Exchange, type Server } from './transport.ts';
import { sign, TSIG_ERRORS, verify, type TsigKey } from './tsig.ts';
import { decodeMessage } from './decode.ts';
import { CLASS, encodeMessage, FLAG, OPCODE, TYPE, type Message } from './wire.ts';
import type { OutRecord } from './wire.ts';

export interface DnsClient {
  server: Server;
  clock: Clock;
  /** Signs UPDATEs; queries go unsigned (they read public data). */
  key?: TsigKey;
  exchange?: Exchange;
  timeoutMs?: number;
  tries?: number;
}

const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
};

const HINTS: Record<string, string> = {
  BADSIG:
    'The TSIG secret or algorithm does not match the key on the server: check tsigSecret and tsigAlgorithm.',
  BADKEY:
    'The server does not know this TSIG key: check tsigKeyName and tsigAlgorithm against its key statement.',
  BADTIME:
    'This machine’s clock and the server’s differ by more than 5 minutes: fix the time (NTP).',
  NOTAUTH:
    'The server is not authoritative for the zone, or does not accept this key for it: check zone, nameserver and its update-policy / allow-update.',
  REFUSED:
    'The server refuses this update or query: check that it is primary for the zone and its update-policy / allow-update names this key for TXT records.',
  NOTZONE: 'The record is not inside the zone: check the zone setting.',
  SERVFAIL: 'The server failed to process the request: see its log.',
};

/** `NOTAUTH (TSIG BADSIG)`, or the bare code name. */
function codeText(rcode: number, tsigError: number): string {
  const base = RCODES[rcode] ?? `RCODE ${rcode}`;
  return tsigError === 0 ? base : `${base} (TSIG ${TSIG_ERRORS[tsigError] ?? tsigError})`;
}

function refusal(what: string, c: DnsClient, rcode: number, tsigError: number): ExternalError {
  const name = TSIG_ERRORS[tsigError] ?? RCODES[rcode] ?? '';
  return new ExternalError(
    `${what} at ${serverText(c.server)} failed: ${codeText(rcode, tsigError)}`,
    { hint: HINTS[name] ?? 'See the server’s log for why it answered so.' },
  );
}

async function send(
  c: DnsClient,
  build: (id: number) => Buffer,
  how: { tcp: boolean; signed: boolean },
): Promise<{ m: Message; tsigError: number }> {
  const id = randomInt(0x10000);
  let packet = build(id);
  const now = (): number => Math.floor(c.clock.now().getTime() / 1000);
  let requestMac: Buffer | undefined;
  if (c.key && how.signed) ({ packet, mac: requestMac } = sign(packet, c.key, now()));
  const answer = await (c.exchange ?? udpTcpExchange)(c.server, packet, {
    timeoutMs: c.timeoutMs ?? 2000,
    tries: c.tries ?? 3,
    tcp: how.tcp,
  });
  const m = decodeMessage(answer);
  const opcode = (packet.readUInt16BE(2) >> 11) & 0xf;
  if (m.id !== id || (m.flags & FLAG.QR) === 0 || m.opcode !== opcode)
    throw malformed(`the answer from ${serverText(c.server)} does not match the request`);
  if (!c.key || !requestMac) return { m, tsigError: 0 };
  const hasTsig = m.additional.at(-1)?.type === TYPE.TSIG;
  // An unsigned refusal is reported as such; an unsigned success is never trusted.
  if (!hasTsig && m.rcode !== 0) return { m, tsigError: 0 };
  const v = verify(answer, m, c.key, now(), requestMac);
  return { m, tsigError: v.error };
}

/** A non-recursive query. NOERROR and NXDOMAIN answer; other RCODEs throw. */
export async function query(c: DnsClient, name: string, type: number): Promise<Message> {
  const build = (id: number): Buffer =>
    encodeMessage({ id, flags: 0, questions: [{ name, type, class: CLASS.IN }] });
  let { m } = await send(c, build, { tcp: false, signed: false });
  if ((m.flags & FLAG.TC) !== 0) ({ m } = await send(c, build, { tcp: true, signed: false }));
  if (m.rcode !== 0 && m.rcode !== 3) throw refusal(`DNS query for ${name}`, c, m.rcode, 0);
  return m;
}

/**
 * Applies `updates` (RFC 2136 update section) to `zone` over TCP, signed with the client's
 * key when it has one. `what` names the change in errors.
 */
export async function update(
  c: DnsClient,
  zone: string,
  updates: OutRecord[],
  what: string,
): Promise<void> {
  const build = (id: number): Buffer =>
    encodeMessage({
      id,
      flags: OPCODE.UPDATE << 11,
      questions: [{ name: zone, type: TYPE.SOA, class: CLASS.IN }],
      authority: updates,
    });
  const { m, tsigError } = await send(c, build, { tcp: true, signed: true });
  if (m.rcode !== 0 || tsigError !== 0)
    throw refusal(`DNS UPDATE (${what}) in zone ${zone || '.'}`, c, m.rcode, tsigError);
}
