// DNS messages (RFC 1035 §4) for what dns-01 over RFC 2136 needs: encode queries and UPDATEs
// (no compression), decode responses. Decoding treats the packet as untrusted: every read is
// bounds-checked and failures are `malformed` errors.
import { decodeName, encodeName, malformed } from './names.ts';

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

function u16(n: number): Buffer {
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

/** A bounds-checked cursor over an untrusted packet. */
class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  need(n: number, what: string): void {
    if (this.pos + n > this.buf.length)
      throw malformed(
        `${what} at offset ${this.pos} runs past the end (${this.buf.length} octets)`,
      );
  }
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++] as number;
  }
  u16(what: string): number {
    this.need(2, what);
    const v = ((this.buf[this.pos] as number) << 8) | (this.buf[this.pos + 1] as number);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    return this.u16(what) * 0x10000 + this.u16(what);
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  name(): string {
    const { name, next } = decodeName(this.buf, this.pos);
    this.pos = next;
    return name;
  }
}

function question(r: Reader): Question {
  return { name: r.name(), type: r.u16('question type'), class: r.u16('question class') };
}

function record(r: Reader): InRecord {
  const start = r.pos;
  const name = r.name();
  const type = r.u16('record type');
  const cls = r.u16('record class');
  const ttl = r.u32('record TTL');
  const len = r.u16('rdata length');
  const rdataStart = r.pos;
  const rdata = r.bytes(len, 'rdata');
  const rec: InRecord = { name, type, class: cls, ttl, start, rdata };
  // Typed views of the rdata; names inside may be compressed against the whole packet.
  const sub = new Reader(r.buf);
  sub.pos = rdataStart;
  const end = rdataStart + len;
  const within = (): void => {
    if (sub.pos > end) throw malformed(`record ${name} type ${type} overruns its rdata`);
  };
  if (type === TYPE.TXT) {
    rec.txt = [];
    while (sub.pos < end) {
      const n = sub.u8('TXT length');
      rec.txt.push(Buffer.from(sub.bytes(n, 'TXT string')).toString('utf8'));
      within();
    }
  } else if (type === TYPE.A && cls === CLASS.IN) {
    if (len !== 4) throw malformed(`A record ${name} with ${len} octets`);
    rec.address = Array.from(rdata).join('.');
  } else if (type === TYPE.NS) {
    rec.target = sub.name();
    within();
  } else if (type === TYPE.SOA) {
    const mname = sub.name();
    const rname = sub.name();
    rec.soa = { mname, rname, serial: sub.u32('SOA serial') };
    sub.bytes(16, 'SOA timers');
    within();
  } else if (type === TYPE.TSIG) {
    rec.tsig = tsigRdata(sub);
    within();
  }
  return rec;
}

function tsigRdata(r: Reader): Tsig {
  const algorithm = r.name();
  const timeSigned = r.u16('TSIG time') * 0x1_0000_0000 + r.u32('TSIG time');
  const fudge = r.u16('TSIG fudge');
  const mac = r.bytes(r.u16('TSIG MAC size'), 'TSIG MAC');
  const originalId = r.u16('TSIG original id');
  const error = r.u16('TSIG error');
  const other = r.bytes(r.u16('TSIG other length'), 'TSIG other data');
  return { algorithm, timeSigned, fudge, mac, originalId, error, other };
}

export function decodeMessage(buf: Uint8Array): Message {
  const r = new Reader(buf);
  const id = r.u16('header');
  const flags = r.u16('header');
  const counts = [r.u16('header'), r.u16('header'), r.u16('header'), r.u16('header')];
  // Each question needs ≥ 5 octets and each record ≥ 11: reject absurd counts up front.
  const [qd, an, ns, ar] = counts as [number, number, number, number];
  if (qd * 5 + (an + ns + ar) * 11 > buf.length - 12)
    throw malformed(`section counts (${counts.join('/')}) exceed the ${buf.length}-octet packet`);
  const questions = Array.from({ length: qd }, () => question(r));
  const answers = Array.from({ length: an }, () => record(r));
  const authority = Array.from({ length: ns }, () => record(r));
  const additional = Array.from({ length: ar }, () => record(r));
  return {
    id,
    flags,
    opcode: (flags >> 11) & 0xf,
    rcode: flags & 0xf,
    questions,
    answers,
    authority,
    additional,
  };
}
