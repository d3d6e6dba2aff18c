// TSIG both ways with the one routine: a signed request verifies, a signed response verifies
// against the request's MAC, and any tampering (a byte, the key, the time) is rejected.
import { describe, expect, it } from 'vitest';
import { FUDGE, sign, verify, type TsigKey } from './tsig.ts';
import { encodeName } from './names.ts';
import { decodeMessage } from './decode.ts';
import { CLASS, encodeMessage, OPCODE, TYPE, txtRdata } from './wire.ts';

const key: TsigKey = {
  name: 'certops-key',
  algorithm: 'hmac-sha256',
  secret: Buffer.from('c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMw==', 'base64'),
};
const T = 1_795_000_000;

const update = (): Buffer =>
  encodeMessage({
    id: 0x4242,
    flags: OPCODE.UPDATE << 11,
    questions: [{ name: 'example.test', type: TYPE.SOA, class: CLASS.IN }],
    authority: [
      { name: '_x.example.test', type: TYPE.TXT, class: CLASS.IN, ttl: 60, rdata: txtRdata('v') },
    ],
  });

describe('TSIG', () => {
  it('appends a TSIG record with the RFC 8945 fields and verifies it', () => {
    const { packet, mac } = sign(update(), key, T);
    const m = decodeMessage(packet);
    expect(m.additional).toHaveLength(1);
    const rr = m.additional[0];
    expect(rr).toMatchObject({ name: 'certops-key', type: TYPE.TSIG, class: CLASS.ANY, ttl: 0 });
    expect(rr?.tsig).toMatchObject({
      algorithm: 'hmac-sha256',
      timeSigned: T,
      fudge: FUDGE,
      originalId: 0x4242,
      error: 0,
    });
    expect(mac).toHaveLength(32);
    expect(Buffer.from(rr?.tsig?.mac ?? [])).toEqual(mac);
    expect(verify(packet, m, key, T + 10)).toEqual({ signed: true, error: 0 });
  });

  it('verifies a response against the request MAC, and not against another', () => {
    const req = sign(update(), key, T);
    const resp = encodeMessage({ id: 0x4242, flags: 0xa800, questions: [] });
    const signed = sign(resp, key, T + 1, req.mac).packet;
    expect(verify(signed, decodeMessage(signed), key, T, req.mac).signed).toBe(true);
    const other = sign(update(), key, T + 2).mac;
    expect(() => verify(signed, decodeMessage(signed), key, T, other)).toThrow(/does not verify/);
    expect(() => verify(signed, decodeMessage(signed), key, T)).toThrow(/does not verify/);
  });

  it('rejects any changed byte of the signed part, another secret, and a stale time', () => {
    const { packet } = sign(update(), key, T);
    const m = decodeMessage(packet);
    // The id is not covered (a forwarder may change it; the original id is in the record).
    for (const at of [2, 3, 15, m.additional[0]!.start - 1]) {
      const bad = Buffer.from(packet);
      bad[at] = (bad[at] as number) ^ 0x01;
      expect(() => verify(bad, decodeMessage(bad), key, T), `byte ${at}`).toThrow(
        /does not verify/,
      );
    }
    const wrong = { ...key, secret: Buffer.from('another secret') };
    expect(() => verify(packet, m, wrong, T)).toThrow(/does not verify/);
    expect(() => verify(packet, m, key, T + FUDGE + 1)).toThrow(/signed -301 s away/);
    expect(() => verify(packet, m, { ...key, algorithm: 'hmac-sha512' }, T)).toThrow(
      /signed with key/,
    );
  });

  it('supports each algorithm', () => {
    for (const algorithm of ['hmac-sha1', 'hmac-sha384', 'hmac-sha512'] as const) {
      const k = { ...key, algorithm };
      const { packet } = sign(update(), k, T);
      expect(verify(packet, decodeMessage(packet), k, T).signed).toBe(true);
    }
  });

  it('reports an unsigned TSIG error answer, and rejects an unsigned success', () => {
    const plain = encodeMessage({ id: 1, flags: 0xa800, questions: [] });
    expect(() => verify(plain, decodeMessage(plain), key, T)).toThrow(/not signed/);
    // BADSIG answer (§5.3.2): a TSIG record with MAC size 0 and error 16.
    const rdata = Buffer.concat([
      encodeName('hmac-sha256'),
      Buffer.from('000000000000' + '012c' + '0000' + '0001' + '0010' + '0000', 'hex'),
    ]);
    const tsig = { name: key.name, type: TYPE.TSIG, class: CLASS.ANY, ttl: 0, rdata };
    const cut = encodeMessage({ id: 1, flags: 0xa809, questions: [], additional: [tsig] });
    expect(verify(cut, decodeMessage(cut), key, T)).toEqual({ signed: false, error: 16 });
  });
});
