// DNS messages (RFC 1035 §4) for what dns-01 over RFC 2136 needs: the types, and encoding of
// queries and UPDATEs (no compression). Decoding is in decode.ts.
import { encodeName } from './names.ts';

export const TYPE = { A: 1, NS: 2, SOA: 6, TXT: 16, AAAA: 28, TSIG: 250 } as const;
export const CLASS = { IN: 1, NONE: 254, ANY: 255 } as const;
export const OPCODE = { QUERY: 0, UPDATE: 5 } as const;

/** Header flag bits (RFC 1035 §4.1.1). */
export const FLAG = { QR: 0x8000, AA: 0x0400, TC: 0x0200, RD: 0x0100 } as const;

export interface Question {
  name: string;
  type: number;
  class: number;
}

/** A record to send: rdata already in wire form. */
export interface OutRecord extends Question {
  ttl: number;
  rdata: Uint8Array;
}

export interface Soa {
  mname: string;
  rname: string;
  serial: number;
}

export interface Tsig {
  algorithm: string;
  timeSigned: number;
  fudge: number;
  mac: Uint8Array;
  originalId: number;
  error: number;
  other: Uint8Array;
}

/** A decoded record; `start` is its offset in the packet (TSIG verification needs it). */
export interface InRecord extends Question {
  ttl: number;
  start: number;
  rdata: Uint8Array;
  txt?: string[];
  address?: string;
  target?: string;
  soa?: Soa;
  tsig?: Tsig;
}

export interface Message {
  id: number;
  flags: number;
  opcode: number;
  rcode: number;
  questions: Question[];
  answers: InRecord[];
  authority: InRecord[];
  additional: InRecord[];
}

export interface OutMessage {
  id: number;
  flags: number;
  questions: Question[];
  /** Answer section; for UPDATE the prerequisite section (RFC 2136 §2). */
  answers?: OutRecord[];
  /** Authority section; for UPDATE the update section. */
  authority?: OutRecord[];
  additional?: OutRecord[];
}

/** A 16-bit big-endian field. */
export function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

export function encodeRecord(r: OutRecord): Buffer {
  if (r.rdata.length > 0xffff) throw new RangeError('rdata over 65535 octets');
  return Buffer.concat([
    encodeName(r.name),
    u16(r.type),
    u16(r.class),
    u32(r.ttl),
    u16(r.rdata.length),
    r.rdata,
  ]);
}

export function encodeMessage(m: OutMessage): Buffer {
  const an = m.answers ?? [];
  const ns = m.authority ?? [];
  const ar = m.additional ?? [];
  return Buffer.concat([
    u16(m.id),
    u16(m.flags),
    u16(m.questions.length),
    u16(an.length),
    u16(ns.length),
    u16(ar.length),
    ...m.questions.map((q) => Buffer.concat([encodeName(q.name), u16(q.type), u16(q.class)])),
    ...[...an, ...ns, ...ar].map(encodeRecord),
  ]);
}

/** TXT rdata: the value as character strings of at most 255 octets (RFC 1035 §3.3.14). */
export function txtRdata(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  return Buffer.concat(parts);
}
