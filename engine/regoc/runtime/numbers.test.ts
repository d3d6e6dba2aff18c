// Exact numbers: integer arithmetic with i64 overflow promotion against JS BigInt, the
// correctly rounded float parse against V8's Number(), and the shortest round-trip float
// formatter against Number#toString. Seeded, so failures reproduce.
import { beforeAll, describe, expect, it } from 'vitest';
import { randomBigInt, randomDigits, randomDouble, rng, pick } from './json-exact.ts';
import { instantiate, testRuntimeWasm, type Harness } from './wasm-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = instantiate(await testRuntimeWasm());
}, 120_000);

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function int(v: bigint): number {
  const addr = h.parse(v.toString());
  expect(addr).not.toBe(0);
  return addr;
}

describe('integer arithmetic (TAG_INT / TAG_BIGNUM)', () => {
  it('matches BigInt for 3000 seeded add/sub/mul/neg cases, canonical in and out', () => {
    const r = rng(20261127);
    const failures: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const a = randomBigInt(r, 60);
      const b = randomBigInt(r, 60);
      h.scoped(() => {
        const va = int(a);
        const vb = int(b);
        const cases: [string, number, bigint][] = [
          ['add', h.call('test_int_add', va, vb), a + b],
          ['sub', h.call('test_int_sub', va, vb), a - b],
          ['mul', h.call('test_int_mul', va, vb), a * b],
          ['neg', h.call('test_int_neg', va), -a],
        ];
        for (const [op, got, want] of cases) {
          const text = h.dump(got);
          if (text !== want.toString()) failures.push(`${op}(${a}, ${b}) = ${text}, want ${want}`);
          // Canonical: TAG_INT (3) exactly when the result fits i64.
          const tag = new Uint32Array(h.memory.buffer, got, 1)[0];
          const fits = want >= I64_MIN && want <= I64_MAX;
          if ((tag === 3) !== fits) failures.push(`${op}(${a}, ${b}) has tag ${tag}`);
        }
        // Comparison agrees with BigInt too.
        const c = h.call('test_compare', va, vb);
        if (c !== (a < b ? -1 : a > b ? 1 : 0)) failures.push(`compare(${a}, ${b}) = ${c}`);
      });
      if (failures.length > 10) break;
    }
    expect(failures).toEqual([]);
  });

  it('promotes i64 overflow to bignum instead of wrapping', () => {
    h.scoped(() => {
      expect(h.dump(h.call('test_int_add', int(I64_MAX), int(1n)))).toBe('9223372036854775808');
      expect(h.dump(h.call('test_int_sub', int(I64_MIN), int(1n)))).toBe('-9223372036854775809');
      expect(h.dump(h.call('test_int_mul', int(I64_MIN), int(-1n)))).toBe('9223372036854775808');
      expect(h.dump(h.call('test_int_neg', int(I64_MIN)))).toBe('9223372036854775808');
      expect(h.dump(h.call('test_int_mul', int(1n << 32n), int(1n << 32n)))).toBe(
        '18446744073709551616',
      );
      expect(h.dump(h.call('test_int_neg', int(1n << 63n)))).toBe('-9223372036854775808');
      expect(h.dump(h.call('test_int_add', int(1n << 63n), int(-1n)))).toBe('9223372036854775807');
    });
  });

  it('converts to and from i64 when in range', () => {
    h.scoped(() => {
      for (const v of [0n, -1n, I64_MIN, I64_MAX, 1795780800123456789n]) {
        expect(h.call('test_int_to_i64', int(v))).toBe(1);
        expect(h.call('test_i64_out')).toBe(v);
        expect(h.dump(h.call('test_int_from_i64', v))).toBe(v.toString());
      }
      for (const v of [I64_MAX + 1n, I64_MIN - 1n, 10n ** 30n]) {
        expect(h.call('test_int_to_i64', int(v))).toBe(0);
      }
    });
  });
});

describe('float parse (correctly rounded)', () => {
  const hard = [
    '2.2250738585072011e-308', // just below the smallest normal
    '2.2250738585072012e-308',
    '4.9406564584124654e-324',
    '2.4703282292062327e-324', // below half the smallest subnormal: 0
    '2.4703282292062328e-324', // above half: the smallest subnormal
    '1.7976931348623157e308',
    '1.7976931348623158e308', // rounds down to the maximum
    '1.7976931348623159e308', // overflows
    '9007199254740993', // a tie, to even
    '9007199254740993.0000000000000000000001',
    '0.1',
    '3.14159265358979323846264338327950288',
    '123456789012345678901234567890e-10',
    '1e23',
    '8.589973e9',
    '7.038531e-26',
    '0.' + '0'.repeat(300) + '1',
    '1' + '0'.repeat(400) + 'e-400',
  ];
  it.each(hard)('reads %s as Number() does', (text) => {
    h.scoped(() => {
      const x = h.call(
        'test_float_f64',
        h.parse(text.includes('.') || text.includes('e') ? text : text + '.0'),
      );
      expect(Object.is(x, Number(text))).toBe(true);
    });
  });

  it('matches Number() on 3000 seeded decimal texts', () => {
    const r = rng(7);
    const failures: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const mant = randomDigits(r, 1 + Math.floor(r() * 25));
      const dot = Math.floor(r() * mant.length);
      const text =
        (r() < 0.3 ? '-' : '') +
        (mant.slice(0, dot) || '0') +
        '.' +
        (mant.slice(dot) || '0') +
        'e' +
        String(Math.floor(r() * 660) - 330);
      h.scoped(() => {
        const x = h.call('test_float_f64', h.parse(text));
        if (!Object.is(x, Number(text))) failures.push(`${text}: ${x} != ${Number(text)}`);
      });
      if (failures.length > 10) break;
    }
    expect(failures).toEqual([]);
  });
});

describe('float formatting (shortest round trip)', () => {
  it.each([
    [0.1 + 0.2, '0.30000000000000004'],
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
    [123e-20, '1.23e-18'],
    [0.000001, '0.000001'],
    [5e-324, '5e-324'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [-0.5, '-0.5'],
    [0, '0'],
    [-0, '0'],
    [2 ** 53, '9007199254740992'],
    [2 ** 70, '1.1805916207174113e+21'],
  ])('writes %s as %s', (x, text) => {
    h.scoped(() => expect(h.dump(h.call('test_float', x))).toBe(text));
  });

  it('round-trips 5000 seeded doubles, as short as Number#toString', () => {
    const r = rng(42);
    const failures: string[] = [];
    let longer = 0;
    for (let i = 0; i < 5000; i++) {
      const x =
        i % 2 === 0 ? randomDouble(r) : pick(r, [1, -1]) * r() * 10 ** (Math.floor(r() * 40) - 20);
      h.scoped(() => {
        const text = h.dump(h.call('test_float', x));
        if (!Object.is(Number(text), x) && !(x === 0 && Number(text) === 0))
          failures.push(`${x} -> ${text}`);
        if (text !== String(x)) longer++;
      });
      if (failures.length > 10) break;
    }
    expect(failures).toEqual([]);
    expect(longer).toBe(0);
  });
});
