// Exact decimal views of numbers, for ordering, equality and hashing across int, bignum and
// float. A view describes |x| as 0.D × 10^exp, where D is the digit run [first, stop) with its
// first digit non-zero; the run may contain one '.' (skipped) and trailing zeros (ignored), so
// views point straight into number source text without copying. What a number's value is:
// - TAG_INT / TAG_BIGNUM: the integer;
// - TAG_FLOAT with source text: the exact decimal the text spells (not its rounded f64), so
//   `1.0 == 1` and `1e400 > 1e399` hold;
// - TAG_FLOAT without source (computed): the shortest decimal that round-trips to its f64, the
//   same text opa_json_dump writes.
// View slot layout (VIEW_SIZE bytes): +0 u32 neg, +4 u32 first, +8 u32 stop, +12 i32 exp,
// +16 u32 zero.
import { bigDigitCount, bigFromU64, bigMulSmallInPlace, bigWriteDigits } from './bignum';
import { alloc } from './alloc';
import { shortestDigits, SHORTEST_EXP } from './float-format';
import { TAG_FLOAT, TAG_INT, V_A, V_B, V_FLOAT_SRC } from './layout';

export const VIEW_SIZE: usize = 24;
const VW_NEG: usize = 0;
const VW_FIRST: usize = 4;
const VW_STOP: usize = 8;
const VW_EXP: usize = 12;
const VW_ZERO: usize = 16;
const EXP_CAP: i32 = 400000000;

const VIEW_A: usize = memory.data(24);
const VIEW_B: usize = memory.data(24);
const BUF_A: usize = memory.data(32);
const BUF_B: usize = memory.data(32);

export function viewExp(vw: usize): i32 {
  return load<i32>(vw + VW_EXP);
}
export function viewIsZero(vw: usize): bool {
  return load<u32>(vw + VW_ZERO) != 0;
}

function setView(vw: usize, neg: bool, first: usize, stop: usize, exp: i32, zero: bool): void {
  store<u32>(vw + VW_NEG, zero ? 0 : neg ? 1 : 0);
  store<u32>(vw + VW_FIRST, <u32>first);
  store<u32>(vw + VW_STOP, <u32>stop);
  store<i32>(vw + VW_EXP, exp);
  store<u32>(vw + VW_ZERO, zero ? 1 : 0);
}

/** A view of JSON number text: "-"? digits ("." digits)? ([eE] [+-]? digits)?. */
export function viewFromText(vw: usize, p: usize, len: usize): void {
  let s = p;
  const stop = p + len;
  const neg = s < stop && load<u8>(s) == 0x2d;
  if (neg) s++;
  let m = s;
  while (m < stop && (load<u8>(m) | 0x20) != 0x65) m++;
  let e: i32 = 0;
  if (m < stop) {
    let q = m + 1;
    let eneg = false;
    const c = load<u8>(q);
    if (c == 0x2b || c == 0x2d) {
      eneg = c == 0x2d;
      q++;
    }
    for (; q < stop; q++) if (e < EXP_CAP) e = e * 10 + <i32>(load<u8>(q) - 0x30);
    if (eneg) e = -e;
  }
  let intLen: i32 = 0;
  let lead: i32 = 0;
  let first: usize = 0;
  let found = false;
  let dot = false;
  for (let q = s; q < m; q++) {
    const c = load<u8>(q);
    if (c == 0x2e) {
      dot = true;
      continue;
    }
    if (!found) {
      if (c != 0x30) {
        found = true;
        first = q;
      } else lead++;
    }
    if (!dot) intLen++;
  }
  setView(vw, neg, first, m, intLen - lead + e, !found);
}

/** A view of plain digits (no '.', leading zeros allowed) meaning 0.digits × 10^exp. */
export function viewFromDigits(vw: usize, p: usize, len: usize, exp: i32, neg: bool): void {
  const stop = p + len;
  let q = p;
  while (q < stop && load<u8>(q) == 0x30) {
    q++;
    exp--;
  }
  setView(vw, neg, q, stop, exp, q == stop);
}

function viewFromI64(vw: usize, buf: usize, x: i64): void {
  let m: u64 = x < 0 ? <u64>0 - <u64>x : <u64>x;
  let n: i32 = 0;
  for (let t = m; t != 0; t /= 10) n++;
  let p = buf + <usize>n;
  while (m != 0) {
    store<u8>(--p, <u8>(0x30 + <u32>(m % 10)));
    m /= 10;
  }
  setView(vw, x < 0, buf, buf + <usize>n, n, x == 0);
}

/** Fills `vw` for number value v (TAG_INT, TAG_BIGNUM or TAG_FLOAT); `buf` holds 32 bytes. */
export function viewOfNumber(vw: usize, buf: usize, v: usize): void {
  const tag = load<u32>(v);
  if (tag == TAG_INT) {
    viewFromI64(vw, buf, load<i64>(v + V_B));
    return;
  }
  if (tag == TAG_FLOAT && load<u32>(v + V_A) == 0) {
    const x = load<f64>(v + V_B);
    const n = shortestDigits(x, buf);
    viewFromDigits(vw, buf, n, load<i32>(SHORTEST_EXP), x < 0);
    return;
  }
  const src = tag == TAG_FLOAT ? <usize>load<u32>(v + V_FLOAT_SRC) : <usize>load<u32>(v + V_B);
  viewFromText(vw, src, <usize>load<u32>(v + V_A));
}

function restNonZero(p: usize, stop: usize): bool {
  for (; p < stop; p++) {
    const c = load<u8>(p);
    if (c != 0x30 && c != 0x2e) return true;
  }
  return false;
}

/** Compares |a| and |b| for two non-zero views. */
function compareMag(a: usize, b: usize): i32 {
  const ea = viewExp(a);
  const eb = viewExp(b);
  if (ea != eb) return ea < eb ? -1 : 1;
  let p = <usize>load<u32>(a + VW_FIRST);
  const ps = <usize>load<u32>(a + VW_STOP);
  let q = <usize>load<u32>(b + VW_FIRST);
  const qs = <usize>load<u32>(b + VW_STOP);
  while (true) {
    if (p < ps && load<u8>(p) == 0x2e) p++;
    if (q < qs && load<u8>(q) == 0x2e) q++;
    if (p >= ps) return q < qs && restNonZero(q, qs) ? -1 : 0;
    if (q >= qs) return restNonZero(p, ps) ? 1 : 0;
    const c = load<u8>(p);
    const d = load<u8>(q);
    if (c != d) return c < d ? -1 : 1;
    p++;
    q++;
  }
  return 0;
}

/** Signed comparison of two views: -1, 0 or 1. */
export function compareViews(a: usize, b: usize): i32 {
  const za = viewIsZero(a);
  const zb = viewIsZero(b);
  const na = load<u32>(a + VW_NEG) != 0;
  const nb = load<u32>(b + VW_NEG) != 0;
  if (za || zb) {
    if (za && zb) return 0;
    if (za) return nb ? 1 : -1;
    return na ? -1 : 1;
  }
  if (na != nb) return na ? -1 : 1;
  const c = compareMag(a, b);
  return na ? -c : c;
}

/** Orders two number values by exact value. */
export function compareNumbers(a: usize, b: usize): i32 {
  const ta = load<u32>(a);
  const tb = load<u32>(b);
  if (ta == TAG_INT && tb == TAG_INT) {
    const x = load<i64>(a + V_B);
    const y = load<i64>(b + V_B);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta == TAG_FLOAT && tb == TAG_FLOAT && load<u32>(a + V_A) == 0 && load<u32>(b + V_A) == 0) {
    const x = load<f64>(a + V_B);
    const y = load<f64>(b + V_B);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  viewOfNumber(VIEW_A, BUF_A, a);
  viewOfNumber(VIEW_B, BUF_B, b);
  return compareViews(VIEW_A, VIEW_B);
}

const FNV_PRIME: u32 = 16777619;

function mix(h: u32, byte: u32): u32 {
  return (h ^ byte) * FNV_PRIME;
}

/** FNV-1a over (sign, exponent, significant digits without trailing zeros): equal numbers hash
 *  alike whatever their tag or spelling. */
export function hashNumber(h: u32, v: usize): u32 {
  viewOfNumber(VIEW_A, BUF_A, v);
  if (viewIsZero(VIEW_A)) return mix(h, 0x30);
  h = mix(h, load<u32>(VIEW_A + VW_NEG) != 0 ? 0x2d : 0x2b);
  const e = <u32>viewExp(VIEW_A);
  h = mix(mix(mix(mix(h, e & 0xff), (e >> 8) & 0xff), (e >> 16) & 0xff), e >> 24);
  let zeros: u32 = 0;
  const stop = <usize>load<u32>(VIEW_A + VW_STOP);
  for (let p = <usize>load<u32>(VIEW_A + VW_FIRST); p < stop; p++) {
    const c = <u32>load<u8>(p);
    if (c == 0x2e) continue;
    if (c == 0x30) {
      zeros++;
      continue;
    }
    for (; zeros > 0; zeros--) h = mix(h, 0x30);
    h = mix(h, c);
  }
  return h;
}

/**
 * The exact decimal of the dyadic rational n × 2^j (n < 2^62) into view `vw`, digits on the heap.
 * Every finite f64 and every midpoint between neighbours is such a number.
 */
export function viewOfDyadic(vw: usize, n: u64, j: i32): void {
  if (n == 0) {
    setView(vw, false, 0, 0, 0, true);
    return;
  }
  const bits: i32 = 64 + (j >= 0 ? j : (-j * 7) / 3 + 1);
  const b = bigFromU64(n, false, <u32>(bits / 29 + 4));
  if (j >= 0) {
    let k = j;
    for (; k >= 29; k -= 29) bigMulSmallInPlace(b, (<u64>1) << 29);
    if (k > 0) bigMulSmallInPlace(b, (<u64>1) << (<u64>k));
  } else {
    let k = -j;
    for (; k >= 13; k -= 13) bigMulSmallInPlace(b, 1220703125); // 5^13
    let f: u64 = 1;
    for (; k > 0; k--) f *= 5;
    if (f > 1) bigMulSmallInPlace(b, f);
  }
  const len = <usize>bigDigitCount(b);
  const out = alloc(len);
  bigWriteDigits(b, out);
  viewFromDigits(vw, out, len, <i32>len + (j < 0 ? j : 0), false);
}
