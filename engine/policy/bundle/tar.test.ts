import { describe, expect, it } from 'vitest';
import { readTar, TarError, writeTar } from './tar.ts';

const enc = new TextEncoder();
const LIMITS = { maxEntries: 100, maxEntryBytes: 1 << 20 };
const entry = (name: string, text = name) => ({ name, data: enc.encode(text) });

function tarError(bytes: Uint8Array): TarError {
  try {
    readTar(bytes, LIMITS);
  } catch (e) {
    if (e instanceof TarError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('ustar writer and reader', () => {
  it('round-trips names up to 255 bytes through the prefix field, in sorted order', () => {
    const long = `${'p'.repeat(150)}/${'n'.repeat(99)}`;
    const back = readTar(writeTar([entry('/b.rego'), entry(long), entry('/a.rego')]), LIMITS);
    expect(back.map((e) => e.name)).toEqual(['/a.rego', '/b.rego', long]);
    expect(new TextDecoder().decode(back[2]?.data)).toBe(long);
    expect(() => writeTar([entry('x'.repeat(101))])).toThrow(TarError);
    expect(() => writeTar([entry('a'), entry('a')])).toThrow('duplicate');
  });

  it('refuses a bad checksum, a truncated archive and hard links', () => {
    const tar = writeTar([entry('/a.rego', 'x'.repeat(600))]);
    const bad = tar.slice();
    bad[0] = 0x41;
    expect(tarError(bad).message).toContain('checksum');
    expect(tarError(tar.subarray(0, 1024)).message).toContain('truncated');
    const link = tar.slice();
    link[156] = 0x31; // '1': hard link; fix the checksum so only the type is wrong
    link.fill(0x20, 148, 156);
    const sum = link.subarray(0, 512).reduce((a, b) => a + b, 0);
    link.set(enc.encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    expect(tarError(link)).toMatchObject({
      unsafe: true,
      message: expect.stringContaining('hard link') as string,
    });
  });

  it('throws only TarError on damaged input (300 random corruptions)', () => {
    const tar = writeTar([entry('/.manifest', '{}'), entry('/a.rego', 'package a'.repeat(80))]);
    let seed = 42;
    const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 300; i++) {
      const t = tar.slice(0, rand(2) ? tar.length : rand(tar.length));
      for (let k = 0; k < 1 + rand(8); k++) t[rand(Math.min(t.length, 1100)) ?? 0] = rand(256);
      try {
        readTar(t, LIMITS);
      } catch (e) {
        expect(e).toBeInstanceOf(TarError);
      }
    }
  });
});
