// Decoding DNS responses. The packet is untrusted: every read is bounds-checked, section counts
// the packet cannot hold are rejected up front, and every failure is a `malformed` error.
import { decodeName, malformed } from './names.ts';
import { CLASS, TYPE, type InRecord, type Message, type Question, type Tsig } from './wire.ts';

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
