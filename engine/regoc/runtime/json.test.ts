// opa_json_parse / opa_json_dump called directly on a runtime instance (no SDK in between),
// so what is checked is the runtime's own text, exact integers included.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuntime } from './runtime.ts';
import { noHostBuiltins, wasmApi, type WasmInstance, type WasmMemory } from './wasm-api.ts';

type Fn = (...args: number[]) => number;
let memory: WasmMemory;
let exp: Record<string, Fn>;

beforeAll(() => {
  memory = new wasmApi.Memory({ initial: 2 });
  const inst: WasmInstance = new wasmApi.Instance(new wasmApi.Module(loadRuntime().wasm), {
    env: {
      ...noHostBuiltins(),
      memory,
      opa_abort: (addr: number) => {
        throw new Error(cString(addr));
      },
    },
  });
  exp = inst.exports as Record<string, Fn>;
});

function cString(addr: number): string {
  const bytes = new Uint8Array(memory.buffer);
  let end = addr;
  while (bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(addr, end));
}

/** Parses `text` in wasm and dumps it back; undefined when the parser rejects it. */
function roundTrip(text: string): string | undefined {
  const start = exp.opa_heap_ptr_get!();
  try {
    const raw = new TextEncoder().encode(text);
    const addr = exp.opa_malloc!(raw.length);
    new Uint8Array(memory.buffer).set(raw, addr);
    const value = exp.opa_json_parse!(addr, raw.length);
    return value === 0 ? undefined : cString(exp.opa_json_dump!(value));
  } finally {
    exp.opa_heap_ptr_set!(start);
  }
}

describe('opa_json_parse / opa_json_dump', () => {
  it.each([
    'null',
    'true',
    'false',
    '0',
    '-1',
    '9007199254740993',
    '9223372036854775807',
    '-9223372036854775808',
    '9223372036854775808',
    '-9223372036854775809',
    '123456789123456789123',
    '1795780800123456789',
    '1.5',
    '-0.000001',
    '1e400',
    '6.02214076E+23',
    '""',
    '"plain"',
    '"h\u00e9llo \u4e16\u754c \ud83d\ude00"',
    '[]',
    '{}',
    '[1,[2,[3,[4,[]]]],{"a":{"b":[{}]}}]',
    '{"a":1,"b":[true,false,null],"c":{"d":"e"}}',
  ])('round-trips %s exactly', (text) => {
    expect(roundTrip(text)).toBe(text);
  });

  it('decodes escapes to UTF-8 and re-escapes only what JSON requires', () => {
    expect(roundTrip('"q\\" b\\\\ s\\/ \\b\\f\\n\\r\\t"')).toBe('"q\\" b\\\\ s/ \\b\\f\\n\\r\\t"');
    expect(roundTrip('"\\u0001\\u001f\\u0041\\u00e9\\u4e16"')).toBe(
      '"\\u0001\\u001fA\u00e9\u4e16"',
    );
  });

  it('joins surrogate pairs into astral code points and replaces lone surrogates', () => {
    expect(roundTrip('"\\ud83d\\ude00 \\uD834\\uDD1E"')).toBe('"\u{1f600} \u{1d11e}"');
    expect(roundTrip('"\\ud83d x \\ude00"')).toBe('"\ufffd x \ufffd"');
  });

  it('drops insignificant whitespace', () => {
    expect(roundTrip(' { "a" : [ 1 , 2 ] ,\n\t"b" : { } } ')).toBe('{"a":[1,2],"b":{}}');
  });

  it('agrees with JSON.parse on a large nested document', () => {
    const doc = {
      spec: { dnsNames: Array.from({ length: 50 }, (_, i) => `h${i}.example.com`) },
      nested: Array.from({ length: 20 }, (_, i) => ({ i, s: `\u00e9\n${i}`, f: i + 0.25 })),
    };
    expect(JSON.parse(roundTrip(JSON.stringify(doc)) as string)).toEqual(doc);
  });

  it.each([
    '',
    ' ',
    '[1,]',
    '{"a"}',
    '{"a":1,}',
    '01',
    '1.',
    '-',
    '.5',
    'tru',
    'nul',
    '"\\x"',
    '"a',
    '"\u0001"',
    '[1] 2',
    '{1:2}',
    '"\\u12g4"',
    '['.repeat(2000) + ']'.repeat(2000),
  ])('rejects %j with 0', (text) => {
    expect(roundTrip(text)).toBeUndefined();
  });
});
