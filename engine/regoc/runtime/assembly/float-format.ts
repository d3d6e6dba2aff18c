// Computed floats -> text. shortestDigits finds the shortest decimal that reads back (under
// correct rounding) as exactly x: for p = 1..17 it rounds x's exact decimal expansion to p
// digits (nearest, ties to even) and accepts the first candidate strictly inside x's rounding interval (the midpoints
// to its neighbours, inclusive when x's mantissa is even), all in exact decimal arithmetic.
// 17 digits always qualify, so the loop ends. It is the shortest in every case except next to
// a power of two, where the interval is lopsided and one digit more may be used (still exact
// round trip). formatFloat spells the digits as ECMAScript's Number#toString does, which is a
// valid JSON number. Non-finite values abort: JSON cannot carry them.
import { fail } from './abort';
import { compareViews, VIEW_SIZE, viewExp, viewFromDigits, viewOfDyadic } from './decimal';

/** The decimal exponent of shortestDigits' last result: x = 0.digits × 10^exp. */
export const SHORTEST_EXP: usize = memory.data(4);

const VX: usize = memory.data(24);
const VL: usize = memory.data(24);
const VU: usize = memory.data(24);
const VC: usize = memory.data(24);
const FMT_BUF: usize = memory.data(48);
const CAND: usize = memory.data(32);
const CACHE_DIGITS: usize = memory.data(32);
let cacheBits: u64 = 0;
let cacheLen: usize = 0;
let cacheExp: i32 = 0;
let cacheValid = false;

/** Mantissa and binary exponent of |x| (finite): |x| = m × 2^k. */
export function mantissaOf(x: f64): u64 {
  const bits = reinterpret<u64>(x) & 0x7fffffffffffffff;
  const f = bits & 0xfffffffffffff;
  return bits >> 52 == 0 ? f : f | 0x10000000000000;
}
export function exponentOf(x: f64): i32 {
  const e = <i32>((reinterpret<u64>(x) >> 52) & 0x7ff);
  return e == 0 ? -1074 : e - 1075;
}

/** Views of the lower and upper rounding-interval bounds of |x| into VL and VU. */
export function boundsOf(x: f64, vl: usize, vu: usize): void {
  const m = mantissaOf(x);
  const k = exponentOf(x);
  viewOfDyadic(vu, 2 * m + 1, k - 1);
  const bits = reinterpret<u64>(x) & 0x7fffffffffffffff;
  if ((bits & 0xfffffffffffff) == 0 && bits >> 52 > 1) viewOfDyadic(vl, 4 * m - 1, k - 2);
  else if (m > 0) viewOfDyadic(vl, 2 * m - 1, k - 1);
  else viewOfDyadic(vl, 0, 0);
}

/** Writes the shortest round-trip digits of |x| to `out` (up to 17 bytes); returns the count
 *  and leaves the exponent at SHORTEST_EXP. Zero gives "0". */
export function shortestDigits(x: f64, out: usize): usize {
  if (!isFinite(x)) fail('regoc:internal: a float result is not finite');
  const bits = reinterpret<u64>(x) & 0x7fffffffffffffff;
  if (cacheValid && bits == cacheBits) {
    memory.copy(out, CACHE_DIGITS, cacheLen);
    store<i32>(SHORTEST_EXP, cacheExp);
    return cacheLen;
  }
  const a = Math.abs(x);
  let n: usize = 0;
  let exp: i32 = 0;
  if (a == 0) {
    store<u8>(out, 0x30);
    n = 1;
  } else if (a < 9007199254740992 && a == Math.floor(a)) {
    // Integers below 2^53 are exact: their digits are the shortest form.
    let m = <u64>a;
    for (let t = m; t != 0; t /= 10) n++;
    for (let i = n; i > 0; i--) {
      store<u8>(out + i - 1, <u8>(0x30 + <u32>(m % 10)));
      m /= 10;
    }
    exp = <i32>n;
  } else {
    n = searchShortest(a, out);
    exp = load<i32>(SHORTEST_EXP);
  }
  while (n > 1 && load<u8>(out + n - 1) == 0x30) n--;
  store<i32>(SHORTEST_EXP, exp);
  cacheBits = bits;
  cacheLen = n;
  cacheExp = exp;
  cacheValid = true;
  memory.copy(CACHE_DIGITS, out, n);
  return n;
}

/** Whether digits [0, p) of the exact expansion round up: nearest, ties to an even last digit
 *  (Number#toString's choice). */
function roundsUp(d: usize, len: usize, p: usize): bool {
  const next = load<u8>(d + p);
  if (next != 0x35) return next > 0x35;
  for (let i = p + 1; i < len; i++) if (load<u8>(d + i) != 0x30) return true;
  return (load<u8>(d + p - 1) & 1) != 0;
}

function searchShortest(a: f64, out: usize): usize {
  const m = mantissaOf(a);
  viewOfDyadic(VX, m, exponentOf(a));
  boundsOf(a, VL, VU);
  const even = (m & 1) == 0;
  const xFirst = <usize>load<u32>(VX + 4);
  const xLen = <usize>load<u32>(VX + 8) - xFirst;
  for (let p: usize = 1; p <= 17; p++) {
    let exp = viewExp(VX);
    const take = p < xLen ? p : xLen;
    memory.copy(CAND, xFirst, take);
    let len = take;
    if (p < xLen && roundsUp(xFirst, xLen, p)) {
      // Carry through nines.
      let i = len;
      while (i > 0 && load<u8>(CAND + i - 1) == 0x39) store<u8>(CAND + --i, 0x30);
      if (i == 0) {
        store<u8>(CAND, 0x31);
        len = 1;
        exp++;
      } else store<u8>(CAND + i - 1, load<u8>(CAND + i - 1) + 1);
    }
    viewFromDigits(VC, CAND, len, exp, false);
    const lo = compareViews(VC, VL);
    const hi = compareViews(VC, VU);
    if ((lo > 0 || (lo == 0 && even)) && (hi < 0 || (hi == 0 && even))) {
      memory.copy(out, CAND, len);
      store<i32>(SHORTEST_EXP, exp);
      return len;
    }
  }
  fail('regoc:internal: no round-trip form found');
  return 0;
}

/** The JSON text of a computed float into a static buffer; returns its length. The text is at
 *  floatTextPtr() until the next call. */
export function formatFloat(x: f64): usize {
  let o = FMT_BUF;
  if (x < 0) store<u8>(o++, 0x2d);
  const d = o + 24; // digits parked after the longest prefix
  const k = <i32>shortestDigits(x, d);
  const n = load<i32>(SHORTEST_EXP);
  if (load<u8>(d) == 0x30) {
    store<u8>(FMT_BUF, 0x30);
    return 1;
  }
  if (k <= n && n <= 21) {
    memory.copy(o, d, <usize>k);
    o += <usize>k;
    for (let i = k; i < n; i++) store<u8>(o++, 0x30);
  } else if (0 < n && n <= 21) {
    memory.copy(o, d, <usize>n);
    o += <usize>n;
    store<u8>(o++, 0x2e);
    memory.copy(o, d + <usize>n, <usize>(k - n));
    o += <usize>(k - n);
  } else if (-6 < n && n <= 0) {
    store<u8>(o++, 0x30);
    store<u8>(o++, 0x2e);
    for (let i = n; i < 0; i++) store<u8>(o++, 0x30);
    memory.copy(o, d, <usize>k);
    o += <usize>k;
  } else {
    store<u8>(o++, load<u8>(d));
    if (k > 1) {
      store<u8>(o++, 0x2e);
      memory.copy(o, d + 1, <usize>(k - 1));
      o += <usize>(k - 1);
    }
    store<u8>(o++, 0x65);
    let e = n - 1;
    store<u8>(o++, e < 0 ? 0x2d : 0x2b);
    if (e < 0) e = -e;
    const digits = e >= 100 ? 3 : e >= 10 ? 2 : 1;
    for (let i = digits; i > 0; i--) {
      store<u8>(o + <usize>i - 1, <u8>(0x30 + (e % 10)));
      e /= 10;
    }
    o += <usize>digits;
  }
  return o - FMT_BUF;
}

export function floatTextPtr(): usize {
  return FMT_BUF;
}

export { VIEW_SIZE };
