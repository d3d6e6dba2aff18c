// Correctly rounded decimal -> f64 for number text (round half to even, as IEEE 754 reading).
// Fast path (Clinger): at most 15 significant digits and a power of ten up to 1e22 are both
// exact in f64, so one multiplication or division rounds once. Otherwise an approximation is
// refined: the exact decimal of the text is compared with the exact midpoints to the
// candidate's neighbours and the candidate steps one ulp until the text lies inside its
// interval. The approximation is a few ulps off at most, so this takes a handful of steps.
import { boundsOf, mantissaOf } from './float-format';
import { compareViews, viewExp, viewFromText, viewIsZero } from './decimal';

const VS: usize = memory.data(24);
const VL: usize = memory.data(24);
const VU: usize = memory.data(24);
const MAX_F64: f64 = 1.7976931348623157e308;

/** 10^n by squaring (n >= 0); exact up to 1e22. */
export function pow10(n: i32): f64 {
  let r: f64 = 1;
  let b: f64 = 10;
  while (n > 0) {
    if (n & 1) r *= b;
    b *= b;
    n >>= 1;
  }
  return r;
}

/** sig × 10^e with at most a few ulps of error, saturating to 0 / Infinity. */
export function approxDecimal(sig: u64, e: i32): f64 {
  let x = <f64>sig;
  if (e >= 0) {
    for (; e > 300 && x < Infinity; e -= 300) x *= pow10(300);
    return x * pow10(e);
  }
  for (; e < -300 && x > 0; e += 300) x /= pow10(300);
  return x / pow10(-e);
}

/** The correctly rounded f64 of JSON number text [p, p+len), given an approximation. */
export function refineFloat(p: usize, len: usize, approx: f64): f64 {
  viewFromText(VS, p, len);
  const neg = load<u8>(p) == 0x2d;
  if (viewIsZero(VS)) return neg ? -0.0 : 0.0;
  const e = viewExp(VS);
  if (e > 310) return neg ? -Infinity : Infinity;
  if (e < -324) return neg ? -0.0 : 0.0;
  store<u32>(VS, 0); // compare magnitudes
  let x = Math.abs(approx);
  if (x > MAX_F64) x = MAX_F64;
  for (let i = 0; i < 200; i++) {
    const odd = (mantissaOf(x) & 1) != 0;
    boundsOf(x, VL, VU);
    const hi = compareViews(VS, VU);
    if (hi > 0 || (hi == 0 && odd)) {
      if (x == MAX_F64) {
        x = Infinity;
        break;
      }
      x = reinterpret<f64>(reinterpret<u64>(x) + 1);
      continue;
    }
    if (x > 0) {
      const lo = compareViews(VS, VL);
      if (lo < 0 || (lo == 0 && odd)) {
        x = reinterpret<f64>(reinterpret<u64>(x) - 1);
        continue;
      }
    }
    break;
  }
  return neg ? -x : x;
}
