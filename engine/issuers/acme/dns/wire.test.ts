// The wire format against bytes written out by hand from RFC 1035 §4.1 and RFC 2136 §2, and
// the decoder against hostile input: truncations, random bytes, pointer loops.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExternalError, UsageError } from '../../../errors.ts';
import { decodeName, encodeName, normalizeName } from './names.ts';
import { decodeMessage } from './decode.ts';
import { CLASS, encodeMessage, OPCODE, TYPE, txtRdata } from './wire.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('names', () => {
  it('normalises and encodes without compression', () => {
    expect(normalizeName('_ACME-Challenge.Example.TEST.')).toBe('_acme-challenge.example.test');
    expect(encodeName('a.bc')).toEqual(hex('01 61 02 62 63 00'));
    expect(encodeName('')).toEqual(hex('00'));
  });

  it('rejects labels over 63 octets, names over 255, empty labels and odd characters', () => {
    expect(() => normalizeName(`${'a'.repeat(64)}.test`)).toThrow(/label over 63/);
    expect(normalizeName(`${'a'.repeat(63)}.test`)).toHaveLength(68);
    const long = Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.');
    expect(() => normalizeName(long)).toThrow(/over 255/);
    expect(() => normalizeName('a..b')).toThrow(UsageError);
    expect(() => normalizeName('a b.test')).toThrow(/characters/);
  });

  it('follows compression pointers backwards only', () => {
    // "test" at 0, then "a" + pointer to 0 at 6.
    const buf = hex('04 74657374 00  01 61 c0 00');
    expect(decodeName(buf, 6)).toEqual({ name: 'a.test', next: 10 });
    // A pointer to itself, and two pointers at each other.
    expect(() => decodeName(hex('c0 00'), 0)).toThrow(/does not point back/);
    expect(() => decodeName(hex('01 61 c0 04 c0 00'), 4)).toThrow(/does not point back/);
  });

  it('escapes label octets that are not printable', () => {
    expect(decodeName(hex('03 61 2e 00 00'), 0).name).toBe('a\\046\\000');
  });
});

describe('messages', () => {
  it('encodes a query header and question exactly as RFC 1035 lays them out', () => {
    const q = encodeMessage({
      id: 0x1234,
      flags: 0,
      questions: [{ name: 'example.test', type: TYPE.TXT, class: CLASS.IN }],
    });
    expect(q).toEqual(
      hex(`1234 0000 0001 0000 0000 0000
           07 6578616d706c65 04 74657374 00 0010 0001`),
    );
  });

  it('encodes an UPDATE: opcode 5, zone section, update section with a TXT add and delete', () => {
    const m = encodeMessage({
      id: 0xabcd,
      flags: OPCODE.UPDATE << 11,
      questions: [{ name: 'ex.test', type: TYPE.SOA, class: CLASS.IN }],
      authority: [
        { name: '_a.ex.test', type: TYPE.TXT, class: CLASS.IN, ttl: 60, rdata: txtRdata('v') },
        { name: '_a.ex.test', type: TYPE.TXT, class: CLASS.NONE, ttl: 0, rdata: txtRdata('w') },
      ],
    });
    expect(m).toEqual(
      hex(`abcd 2800 0001 0000 0002 0000
           02 6578 04 74657374 00 0006 0001
           02 5f61 02 6578 04 74657374 00 0010 0001 0000003c 0002 01 76
           02 5f61 02 6578 04 74657374 00 0010 00fe 00000000 0002 01 77`),
    );
  });

  it('splits TXT values longer than 255 octets into character strings', () => {
    const r = txtRdata('x'.repeat(300));
    expect(r[0]).toBe(255);
    expect(r[256]).toBe(45);
    expect(txtRdata('')).toEqual(hex('00'));
  });

  it('decodes a response with compressed names and typed rdata', () => {
    const resp = hex(`1234 8400 0001 0001 0001 0000
      02 5f61 04 74657374 00 0010 0001
      c0 0c 0010 0001 0000003c 0006 05 68656c6c6f
      c0 0f 0006 0001 0000003c 001a 02 6e73 c0 0f 00 00000007 00000001 00000002 00000003 00000004`);
    const m = decodeMessage(resp);
    expect(m).toMatchObject({ id: 0x1234, rcode: 0, opcode: 0 });
    expect(m.questions).toEqual([{ name: '_a.test', type: TYPE.TXT, class: CLASS.IN }]);
    expect(m.answers[0]).toMatchObject({ name: '_a.test', ttl: 60, txt: ['hello'] });
    expect(m.authority[0]?.soa).toEqual({ mname: 'ns.test', rname: '', serial: 7 });
  });

  it('turns every truncation of a valid packet into a clean error', () => {
    const resp = hex(`1234 8400 0001 0001 0000 0000
      02 5f61 04 74657374 00 0010 0001
      c0 0c 0010 0001 0000003c 0006 05 68656c6c6f`);
    decodeMessage(resp);
    for (let n = 0; n < resp.length; n++)
      expect(() => decodeMessage(resp.subarray(0, n)), `length ${n}`).toThrow(
        /malformed DNS message/,
      );
  });

  it('rejects TXT strings that overrun their rdata and absurd section counts', () => {
    const overrun = hex(`0000 8000 0000 0001 0000 0000 00 0010 0001 00000000 0002 05 6868`);
    expect(() => decodeMessage(overrun)).toThrow(/runs past the end|overruns/);
    expect(() => decodeMessage(hex('0000 8000 ffff ffff ffff ffff'))).toThrow(/section counts/);
  });

  it('never hangs or crashes on random input', () => {
    const start = performance.now();
    for (let i = 0; i < 5000; i++) {
      const buf = randomBytes(1 + (i % 200));
      if (i % 2 === 0 && buf.length >= 6) buf.writeUInt16BE(i % 3, 4); // plausible counts now and then
      try {
        decodeMessage(buf);
      } catch (e) {
        expect(e).toBeInstanceOf(ExternalError);
      }
    }
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
