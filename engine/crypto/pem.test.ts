import { describe, expect, it } from 'vitest';
import { ExternalError } from '../errors.ts';
import { pemBlocks, pemDecodeOne, pemEncode, splitPemChain } from './pem.ts';

const der = (n: number) => new Uint8Array(Array.from({ length: n }, (_, i) => (i * 7) & 0xff));

describe('pemEncode', () => {
  it('writes 64-column base64 between BEGIN and END lines and round-trips', () => {
    const pem = pemEncode('CERTIFICATE', der(100));
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
    expect(lines[1]).toHaveLength(64);
    expect(pemDecodeOne(pem, 'CERTIFICATE')).toEqual(der(100));
  });
});

describe('splitPemChain', () => {
  const a = pemEncode('CERTIFICATE', der(40));
  const b = pemEncode('CERTIFICATE', der(50));

  it('finds every certificate among junk, CRLF line ends and indentation, in order', () => {
    const messy = `subject=CN = leaf\r\n${a.replace(/\n/g, '\r\n')}\n\n  # comment\n${b
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')}trailing text`;
    expect(splitPemChain(messy)).toEqual([a, b]);
  });

  it('refuses a private key block inside a chain, naming it', () => {
    const withKey = a + pemEncode('PRIVATE KEY', der(30));
    expect(() => splitPemChain(withKey)).toThrow(/"PRIVATE KEY" block; only CERTIFICATE/);
  });

  it.each([
    ['empty text', ''],
    ['garbage', 'hello world \u0000\u0001'],
    ['a lone BEGIN line', '-----BEGIN CERTIFICATE-----\nAAAA\n'],
  ])('refuses %s: no certificate', (_, text) => {
    expect(() => splitPemChain(text)).toThrow(ExternalError);
    expect(() => splitPemChain(text)).toThrow(/holds no PEM certificate/);
  });

  it('refuses a block whose body is not base64', () => {
    const bad = '-----BEGIN CERTIFICATE-----\n@@notbase64!!\n-----END CERTIFICATE-----\n';
    expect(() => splitPemChain(bad)).toThrow(/not valid base64/);
  });

  it('refuses a block whose END label differs from its BEGIN label', () => {
    const bad = a.replace('END CERTIFICATE', 'END X509 CRL');
    expect(() => pemBlocks(bad)).toThrow(/ends with "END X509 CRL"/);
  });
});

describe('pemDecodeOne', () => {
  it('refuses several blocks and other labels', () => {
    const a = pemEncode('CERTIFICATE', der(10));
    expect(() => pemDecodeOne(a + a, 'CERTIFICATE')).toThrow(
      /expected one CERTIFICATE block, found 2/,
    );
    expect(() => pemDecodeOne(pemEncode('X509 CRL', der(10)), 'CERTIFICATE')).toThrow(
      /found "X509 CRL"/,
    );
  });
});

describe('pemBlocks on hostile input', () => {
  it('stays linear on many unterminated BEGIN lines', () => {
    const text = '-----BEGIN CERTIFICATE-----\nAAAA\n'.repeat(200_000);
    const t0 = performance.now();
    expect(pemBlocks(text)).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('refuses a nested BEGIN inside a block (it ends with the wrong END)', () => {
    const a = pemEncode('CERTIFICATE', der(10));
    const nested = `-----BEGIN X509 CRL-----\n${a}`;
    expect(() => pemBlocks(nested)).toThrow(/"BEGIN X509 CRL" ends with "END CERTIFICATE"/);
  });
});
