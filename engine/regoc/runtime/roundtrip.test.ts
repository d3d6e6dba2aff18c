// Property test on the production runtime.wasm: seeded random documents (big integers beyond
// 2^64, doubles, long decimal mantissas with exponents, unicode and escapes, duplicate keys)
// go through opa_json_parse and opa_json_dump and must come back equal by value, with object
// keys in canonical order and the last duplicate kept. Plus UTF-8 validation of raw input.
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize, parseExact, randomDoc, rng } from './json-exact.ts';
import { loadRuntime } from './runtime.ts';
import { instantiate, type Harness } from './wasm-harness.ts';

let h: Harness;
beforeAll(() => {
  h = instantiate(loadRuntime().wasm);
});

describe('parse -> dump round trip (seeded)', () => {
  it('keeps 2000 random documents equal by value, canonically ordered', () => {
    const r = rng(0x5eed);
    const failures: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const { text, model } = randomDoc(r, 4);
      const out = h.scoped(() => {
        const v = h.parse(text);
        return v === 0 ? undefined : h.dump(v);
      });
      if (out === undefined) failures.push(`refused: ${text}`);
      else if (JSON.stringify(parseExact(out)) !== JSON.stringify(canonicalize(model)))
        failures.push(`${text}\n  -> ${out}`);
      if (failures.length > 5) break;
    }
    expect(failures).toEqual([]);
  });

  it('is idempotent: dumping the parse of a dump gives the same text', () => {
    const r = rng(99);
    for (let i = 0; i < 300; i++) {
      const { text } = randomDoc(r, 4);
      h.scoped(() => {
        const once = h.dump(h.parse(text));
        expect(h.dump(h.parse(once))).toBe(once);
      });
    }
  });
});

describe('UTF-8 validation of raw input bytes', () => {
  const quoted = (...bytes: number[]): Uint8Array => new Uint8Array([0x22, ...bytes, 0x22]);
  it.each([
    ['a lone continuation byte', [0x80]],
    ['an invalid lead byte', [0xff]],
    ['a lead byte above U+10FFFF', [0xf5, 0x80, 0x80, 0x80]],
    ['an overlong two-byte NUL', [0xc0, 0x80]],
    ['an overlong two-byte "A"', [0xc1, 0x81]],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf]],
    ['an overlong four-byte form', [0xf0, 0x80, 0x80, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['a truncated sequence before the quote', [0x61, 0xf0, 0x9f, 0x98]],
    ['a missing continuation', [0xc3, 0x41]],
  ])('refuses %s', (_name, bytes) => {
    h.scoped(() => expect(h.parse(quoted(...bytes))).toBe(0));
    // In a key too, and deep inside a document.
    h.scoped(() => {
      const key = new Uint8Array([0x7b, ...quoted(...bytes), 0x3a, 0x31, 0x7d]);
      expect(h.parse(key)).toBe(0);
    });
  });

  it.each([
    ['U+0080', [0xc2, 0x80]],
    ['U+07FF', [0xdf, 0xbf]],
    ['U+0800', [0xe0, 0xa0, 0x80]],
    ['U+D7FF', [0xed, 0x9f, 0xbf]],
    ['U+E000', [0xee, 0x80, 0x80]],
    ['U+FFFF', [0xef, 0xbf, 0xbf]],
    ['U+10000', [0xf0, 0x90, 0x80, 0x80]],
    ['U+10FFFF', [0xf4, 0x8f, 0xbf, 0xbf]],
  ])('accepts %s', (_name, bytes) => {
    h.scoped(() => {
      const v = h.parse(quoted(...bytes));
      expect(v).not.toBe(0);
      expect(h.dump(v)).toBe(JSON.stringify(new TextDecoder().decode(new Uint8Array(bytes))));
    });
  });

  it('makes opa_eval fail on invalid input instead of reading it', () => {
    h.scoped(() => {
      const raw = quoted(0xff);
      const addr = h.call('opa_malloc', raw.length);
      new Uint8Array(h.memory.buffer).set(raw, addr);
      const heap = h.call('opa_heap_ptr_get');
      expect(() => h.call('opa_eval', 0, 0, 0, addr, raw.length, heap, 0)).toThrow(
        'regoc:input: input is not valid JSON',
      );
    });
  });
});
