// Canonical order, equality and hashing of values, canonical objects and sets, through the test
// build's test_* exports (wasm-harness.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { instantiate, testRuntimeWasm, type Harness } from './wasm-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = instantiate(await testRuntimeWasm());
}, 120_000);

/** A value from JSON text; "set:[...]" makes a set of the array's elements. */
function value(spec: string): number {
  if (spec.startsWith('set:')) return h.call('test_set_of', value(spec.slice(4)));
  const v = h.parse(spec);
  if (v === 0) throw new Error(`bad JSON ${spec}`);
  return v;
}

// Groups in strictly ascending order; members of one group are equal.
const ORDER: string[][] = [
  ['null'],
  ['false'],
  ['true'],
  ['-1e400'],
  ['-123456789123456789123', '-123456789123456789123.000', '-1.23456789123456789123e20'],
  ['-9223372036854775809'],
  ['-9223372036854775808', '-9.223372036854775808e18'],
  ['-1', '-1.0', '-1e0', '-0.1e1'],
  ['-0.5'],
  ['0', '-0', '0.0', '-0.0', '0e10', '0.000e-5'],
  ['1e-400'],
  ['0.1', '1e-1', '0.10'],
  ['0.30000000000000004'],
  ['1', '1.0', '1e0', '10e-1', '0.001e3', '1.000000000000000000000000000000'],
  ['1.0000000000000000000000000001'],
  ['1.5', '15e-1'],
  ['2'],
  ['9007199254740993'],
  ['9223372036854775807', '9.223372036854775807e18'],
  ['9223372036854775808', '9223372036854775808.0'],
  ['1e19', '10000000000000000000'],
  ['123456789123456789123'],
  ['1e400'],
  ['""'],
  ['" "'],
  ['"A"'],
  ['"a"'],
  ['"ab"'],
  ['"b"'],
  ['"z"'],
  ['"\u00e9"', '"\\u00e9"'],
  ['"\u4e16"'],
  ['"\u{1f600}"', '"\\ud83d\\ude00"'],
  ['[]'],
  ['[null]'],
  ['[1]', '[1.0]'],
  ['[1,2]', '[1,2.0]'],
  ['[1,"a"]'],
  ['[2]'],
  ['["a"]'],
  ['[[]]'],
  ['{}'],
  ['{"a":1}', '{"a":1.0}'],
  ['{"a":1,"b":1}', '{"b":1,"a":1}', '{"b":0,"a":1,"b":1}'],
  ['{"a":2}'],
  ['{"a":[]}'],
  ['{"b":0}'],
  ['set:[]'],
  ['set:[1]', 'set:[1,1.0,1]'],
  ['set:[1,2]', 'set:[2,1,2]'],
  ['set:[2]'],
  ['set:["a"]'],
];

describe('compareValues / valuesEqual / hashValue', () => {
  it('orders the table strictly ascending, with equal members equal and hashed alike', () => {
    h.scoped(() => {
      const groups = ORDER.map((g) => g.map((s) => ({ s, v: value(s) })));
      const flat = groups.flatMap((g, gi) => g.map((x) => ({ ...x, gi })));
      const failures: string[] = [];
      for (const a of flat) {
        for (const b of flat) {
          const want = Math.sign(a.gi - b.gi);
          const got = h.call('test_compare', a.v, b.v);
          if (got !== want) failures.push(`compare(${a.s}, ${b.s}) = ${got}, want ${want}`);
          const eq = h.call('test_equal', a.v, b.v);
          if (eq !== (want === 0 ? 1 : 0)) failures.push(`equal(${a.s}, ${b.s}) = ${eq}`);
          if (want === 0 && h.call('test_hash', a.v) !== h.call('test_hash', b.v))
            failures.push(`hash(${a.s}) != hash(${b.s})`);
        }
      }
      expect(failures).toEqual([]);
      expect(flat.length).toBeGreaterThan(80);
    });
  });

  it('hashes different values differently (no collisions in the table)', () => {
    h.scoped(() => {
      const hashes = ORDER.map((g) => h.call('test_hash', value(g[0] as string)) >>> 0);
      expect(new Set(hashes).size).toBe(ORDER.length);
    });
  });

  it('treats a computed float like the decimal it dumps as', () => {
    h.scoped(() => {
      const computed = h.call('test_float', 0.1 + 0.2);
      expect(h.call('test_compare', computed, value('0.30000000000000004'))).toBe(0);
      expect(h.call('test_compare', computed, value('0.3'))).toBe(1);
      const one = h.call('test_float', 1);
      expect(h.call('test_equal', one, value('1'))).toBe(1);
      expect(h.call('test_hash', one)).toBe(h.call('test_hash', value('1')));
      // Its value is the shortest round-trip decimal, not the binary fraction's expansion.
      const big = h.call('test_float', 2 ** 70);
      expect(h.call('test_compare', big, value('1.1805916207174113e21'))).toBe(0);
      expect(h.call('test_compare', big, value('1180591620717411303424'))).toBe(-1);
    });
  });
});

describe('canonical objects and sets', () => {
  it('keeps the last value of a duplicate key, in the first-sorted slot', () => {
    h.scoped(() => {
      expect(h.dump(value('{"b":1,"a":2,"b":3}'))).toBe('{"a":2,"b":3}');
      expect(h.dump(value('{"a":1,"a":{"x":1},"a":[2]}'))).toBe('{"a":[2]}');
      expect(h.dump(value('{"k":{"z":1,"y":2,"z":0}}'))).toBe('{"k":{"y":2,"z":0}}');
    });
  });

  it('dumps object keys in UTF-8 byte order whatever the input order', () => {
    h.scoped(() => {
      expect(
        h.dump(value('{"\u00e9":1,"z":2,"Z":3,"":4,"aa":5,"a":6,"\u{1f600}":7,"\u4e16":8}')),
      ).toBe('{"":4,"Z":3,"a":6,"aa":5,"z":2,"\u00e9":1,"\u4e16":8,"\u{1f600}":7}');
    });
  });

  it('looks keys up by value', () => {
    h.scoped(() => {
      const obj = value('{"c":3,"a":1,"b":2}');
      expect(h.dump(h.call('test_object_get', obj, value('"b"')))).toBe('2');
      expect(h.call('test_object_get', obj, value('"d"'))).toBe(0);
      const many = value(
        `{${Array.from({ length: 100 }, (_, i) => `"k${99 - i}":${i}`).join(',')}}`,
      );
      expect(h.dump(h.call('test_object_get', many, value('"k42"')))).toBe('57');
    });
  });

  it('de-duplicates sets by value and dumps them sorted', () => {
    h.scoped(() => {
      const set = value('set:[3,"b",1,null,1.0,[1],"a",3,{"a":1},[1.0],true,1e0,-2]');
      expect(h.dump(set)).toBe('[null,true,-2,1,3,"a","b",[1],{"a":1}]');
      expect(h.call('test_set_contains', set, value('3.0'))).toBe(1);
      expect(h.call('test_set_contains', set, value('2'))).toBe(0);
      const nested = value('set:[[2,1],[1,2],[2,1]]');
      expect(h.dump(nested)).toBe('[[1,2],[2,1]]');
    });
  });

  it('builds large sets in order from shuffled input', () => {
    h.scoped(() => {
      const xs = Array.from({ length: 500 }, (_, i) => (i * 7919) % 250);
      const set = value(`set:[${xs.join(',')}]`);
      expect(h.dump(set)).toBe(`[${Array.from({ length: 250 }, (_, i) => i).join(',')}]`);
    });
  });
});
