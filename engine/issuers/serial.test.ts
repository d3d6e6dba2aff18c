import { describe, expect, it } from 'vitest';
import { randomSerialHex } from './serial.ts';

describe('randomSerialHex', () => {
  it('gives 16-byte positive serials with a non-zero first byte, without repeats', () => {
    const seen = new Set<string>();
    const firstBytes = new Set<number>();
    const malformed: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const s = randomSerialHex();
      if (!/^[0-7][0-9a-f]{31}$/.test(s) || s.startsWith('00')) malformed.push(s);
      firstBytes.add(parseInt(s.slice(0, 2), 16));
      seen.add(s);
    }
    expect(malformed).toEqual([]);
    expect(seen.size).toBe(20_000);
    expect(firstBytes.size).toBe(127); // every allowed first byte occurs: no hidden fixed bits
  });
});
