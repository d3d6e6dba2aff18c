// Integer arithmetic on values for the interpreter. Operands are TAG_INT or TAG_BIGNUM (anything
// else aborts); results are canonical: TAG_INT whenever the integer fits i64, else TAG_BIGNUM.
// The i64 fast path checks for overflow and promotes to bignum instead of wrapping.
import { fail } from './abort';
import { bigAdd, bigFromI64, bigFromText, bigMul, bigSub, bigToI64, bigToValue } from './bignum';
import { TAG_BIGNUM, TAG_INT, V_A, V_B } from './layout';
import { newBignum, newInt } from './value';

const I64_MIN: i64 = -9223372036854775807 - 1;

function isInt(v: usize): bool {
  return load<u32>(v) == TAG_INT;
}
function i64Of(v: usize): i64 {
  return load<i64>(v + V_B);
}

/** The operand as a scratch Big (bignum.ts). */
function toBig(v: usize): usize {
  const tag = load<u32>(v);
  if (tag == TAG_INT) return bigFromI64(i64Of(v));
  if (tag == TAG_BIGNUM) return bigFromText(<usize>load<u32>(v + V_B), <usize>load<u32>(v + V_A));
  fail('regoc:internal: integer operation on a non-integer');
  return 0;
}

export function intAdd(a: usize, b: usize): usize {
  if (isInt(a) && isInt(b)) {
    const x = i64Of(a);
    const y = i64Of(b);
    const r = x + y;
    if (((x ^ r) & (y ^ r)) >= 0) return newInt(r);
  }
  return bigToValue(bigAdd(toBig(a), toBig(b)));
}

export function intSub(a: usize, b: usize): usize {
  if (isInt(a) && isInt(b)) {
    const x = i64Of(a);
    const y = i64Of(b);
    const r = x - y;
    if (((x ^ y) & (x ^ r)) >= 0) return newInt(r);
  }
  return bigToValue(bigSub(toBig(a), toBig(b)));
}

export function intMul(a: usize, b: usize): usize {
  if (isInt(a) && isInt(b)) {
    const x = i64Of(a);
    const y = i64Of(b);
    // |x|, |y| < 2^31 cannot overflow; otherwise check by division.
    if ((x >= -0x80000000 && x < 0x80000000 && y >= -0x80000000 && y < 0x80000000) || x == 0)
      return newInt(x * y);
    if (!(x == -1 && y == I64_MIN) && !(y == -1 && x == I64_MIN)) {
      const r = x * y;
      if (r / x == y) return newInt(r);
    }
  }
  return bigToValue(bigMul(toBig(a), toBig(b)));
}

export function intNeg(a: usize): usize {
  if (isInt(a)) {
    const x = i64Of(a);
    if (x != I64_MIN) return newInt(-x);
    return bigToValue(bigSub(bigFromI64(0), bigFromI64(x)));
  }
  if (load<u32>(a) != TAG_BIGNUM) fail('regoc:internal: integer operation on a non-integer');
  // Flip the sign of the canonical text; the result stays outside i64 except for 2^63 -> -2^63.
  const p = <usize>load<u32>(a + V_B);
  const n = <usize>load<u32>(a + V_A);
  if (load<u8>(p) == 0x2d) return newBignum(p + 1, n - 1);
  return bigToValue(bigSub(bigFromI64(0), bigFromText(p, n)));
}

/** Stores an integer value at `out` and returns true when it fits i64. */
export function intToI64(v: usize, out: usize): bool {
  if (isInt(v)) {
    store<i64>(out, i64Of(v));
    return true;
  }
  if (load<u32>(v) != TAG_BIGNUM) return false;
  return bigToI64(toBig(v), out);
}

export function intFromI64(x: i64): usize {
  return newInt(x);
}
