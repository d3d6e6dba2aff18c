// TSIG (RFC 8945): HMAC signatures on DNS messages with a shared key. `sign` appends the TSIG
// record to an encoded, unsigned message; `verify` checks the TSIG record of a received one.
// The same two routines serve requests and responses (a response's MAC also covers the
// request's MAC, §4.3.3). The key's secret never appears in an error message.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ExternalError } from '../../../errors.ts';
import { encodeName } from './names.ts';
import { CLASS, encodeRecord, TYPE, u16, type Message } from './wire.ts';

export const TSIG_ALGORITHMS = {
  'hmac-sha256': 'sha256',
  'hmac-sha384': 'sha384',
  'hmac-sha512': 'sha512',
  'hmac-sha1': 'sha1',
} as const;
export type TsigAlgorithm = keyof typeof TSIG_ALGORITHMS;

export interface TsigKey {
  /** Normalised key name, as configured on the server. */
  name: string;
  algorithm: TsigAlgorithm;
  secret: Buffer;
}

/** Allowed clock difference in seconds; the value RFC 8945 §10 recommends. */
export const FUDGE = 300;

/** TSIG error codes (RFC 8945 §5.3, RFC 2845): the extended RCODE in the TSIG record. */
export const TSIG_ERRORS: Record<number, string> = { 16: 'BADSIG', 17: 'BADKEY', 18: 'BADTIME' };

function time48(seconds: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(seconds, 0, 6);
  return b;
}

interface Variables {
  timeSigned: number;
  fudge: number;
  error: number;
  other: Uint8Array;
}

/** The MAC input (§4.3.3): [request MAC], the message as it was before signing, the variables. */
function digest(
  key: TsigKey,
  message: Uint8Array,
  v: Variables,
  requestMac: Uint8Array | undefined,
): Buffer {
  const h = createHmac(TSIG_ALGORITHMS[key.algorithm], key.secret);
  if (requestMac) h.update(u16(requestMac.length)).update(requestMac);
  h.update(message);
  h.update(encodeName(key.name)).update(u16(CLASS.ANY)).update(Buffer.alloc(4)); // TTL 0
  h.update(encodeName(key.algorithm)).update(time48(v.timeSigned)).update(u16(v.fudge));
  h.update(u16(v.error)).update(u16(v.other.length)).update(v.other);
  return h.digest();
}

/**
 * Signs `message` (encoded, without TSIG) at `timeSigned` (seconds since the epoch). For a
 * response, pass the request's MAC. Returns the signed packet and its MAC.
 */
export function sign(
  message: Uint8Array,
  key: TsigKey,
  timeSigned: number,
  requestMac?: Uint8Array,
  error = 0,
): { packet: Buffer; mac: Buffer } {
  const v = { timeSigned, fudge: FUDGE, error, other: new Uint8Array(0) };
  const mac = digest(key, message, v, requestMac);
  const id = u16((message[0] as number) * 256 + (message[1] as number));
  const rdata = Buffer.concat([
    encodeName(key.algorithm),
    time48(timeSigned),
    u16(FUDGE),
    u16(mac.length),
    mac,
    id,
    u16(error),
    u16(0),
  ]);
  const rr = encodeRecord({ name: key.name, type: TYPE.TSIG, class: CLASS.ANY, ttl: 0, rdata });
  const packet = Buffer.concat([message, rr]);
  packet.writeUInt16BE(packet.readUInt16BE(10) + 1, 10); // ARCOUNT
  return { packet, mac };
}

/** `signed` is false only for an unsigned TSIG error answer; `error` is the TSIG error code. */
export interface Verified {
  signed: boolean;
  error: number;
}

/**
 * Checks the TSIG record that ends `m` (decoded from `packet`). Throws when the record is
 * missing, names another key or algorithm, carries a wrong MAC, or was signed outside the
 * fudge window around `now` (seconds). An unsigned TSIG error answer (BADSIG/BADKEY: MAC size
 * 0, §5.3.2) is returned with `signed: false` for the caller to report.
 */
export function verify(
  packet: Uint8Array,
  m: Message,
  key: TsigKey,
  now: number,
  requestMac?: Uint8Array,
): Verified {
  const rr = m.additional[m.additional.length - 1];
  const t = rr?.tsig;
  if (!rr || !t) throw unsigned('the response is not signed');
  if (m.additional.some((r) => r !== rr && r.type === TYPE.TSIG))
    throw unsigned('the response has more than one TSIG record');
  if (rr.name !== key.name || t.algorithm !== key.algorithm)
    throw unsigned(`the response is signed with key ${rr.name} (${t.algorithm})`);
  if (t.mac.length === 0 && t.error !== 0) return { signed: false, error: t.error };
  const unsignedMsg = Buffer.from(packet.subarray(0, rr.start));
  unsignedMsg.writeUInt16BE(t.originalId, 0);
  unsignedMsg.writeUInt16BE(m.additional.length - 1, 10);
  const expected = digest(key, unsignedMsg, t, requestMac);
  // Truncated MACs (§5.2.2.1) are not accepted: servers send the full length by default.
  if (t.mac.length !== expected.length || !timingSafeEqual(t.mac, expected))
    throw unsigned('the response’s TSIG MAC does not verify');
  if (Math.abs(now - t.timeSigned) > t.fudge)
    throw unsigned(`the response was signed ${t.timeSigned - now} s away from this clock`);
  return { signed: true, error: t.error };
}

function unsigned(reason: string): ExternalError {
  return new ExternalError(`DNS response rejected: ${reason}`, {
    hint: 'Check that the TSIG key name, algorithm and secret match the server, and that the clocks agree.',
  });
}
