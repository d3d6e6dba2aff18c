// Arbitrary-size integers for arithmetic, in base 1e9 limbs (little-endian) on the evaluation
// heap. A Big at address b: +0 u32 neg (0|1), +4 u32 n (limb count; 0 means zero), +8 u32 cap,
// +12 limbs. Values never hold a Big: results go back through bigToValue, which yields TAG_INT
// when the integer fits i64 and otherwise TAG_BIGNUM with canonical decimal text ("-"?digits,
// no leading zeros). Bigs are scratch: the per-evaluation heap reset frees them.
import { alloc } from './alloc';
import { newBignum, newInt } from './value';

const BASE: u64 = 1000000000;
const B_NEG: usize = 0;
const B_N: usize = 4;
const B_CAP: usize = 8;
const B_LIMBS: usize = 12;

export function bigNew(cap: u32): usize {
  const b = alloc(B_LIMBS + ((<usize>cap) << 2));
  store<u32>(b + B_NEG, 0);
  store<u32>(b + B_N, 0);
  store<u32>(b + B_CAP, cap);
  return b;
}

function limb(b: usize, i: u32): u64 {
  return <u64>load<u32>(b + B_LIMBS + ((<usize>i) << 2));
}
function setLimb(b: usize, i: u32, x: u64): void {
  store<u32>(b + B_LIMBS + ((<usize>i) << 2), <u32>x);
}
export function bigLen(b: usize): u32 {
  return load<u32>(b + B_N);
}
export function bigIsNeg(b: usize): bool {
  return load<u32>(b + B_NEG) != 0;
}

/** Drops leading zero limbs; zero is never negative. */
function trim(b: usize, n: u32): usize {
  while (n > 0 && limb(b, n - 1) == 0) n--;
  store<u32>(b + B_N, n);
  if (n == 0) store<u32>(b + B_NEG, 0);
  return b;
}

/** From "-"?digits (no other characters); leading zeros are allowed. */
export function bigFromText(p: usize, len: usize): usize {
  let s = p;
  const stop = p + len;
  const neg = s < stop && load<u8>(s) == 0x2d;
  if (neg) s++;
  const digits = <u32>(stop - s);
  const b = bigNew(digits / 9 + 1);
  let n: u32 = 0;
  let q = stop;
  while (q > s) {
    const from = q - s > 9 ? q - 9 : s;
    let x: u64 = 0;
    for (let r = from; r < q; r++) x = x * 10 + <u64>(load<u8>(r) - 0x30);
    setLimb(b, n++, x);
    q = from;
  }
  store<u32>(b + B_NEG, neg ? 1 : 0);
  return trim(b, n);
}

/** From a magnitude and a sign; `cap` limbs of room for in-place growth (at least 3). */
export function bigFromU64(m: u64, neg: bool, cap: u32): usize {
  const b = bigNew(cap < 3 ? 3 : cap);
  let n: u32 = 0;
  while (m != 0) {
    setLimb(b, n++, m % BASE);
    m /= BASE;
  }
  store<u32>(b + B_NEG, neg ? 1 : 0);
  return trim(b, n);
}

export function bigFromI64(x: i64): usize {
  return bigFromU64(x < 0 ? <u64>0 - <u64>x : <u64>x, x < 0, 3);
}

/** b *= m in place (m < 2^32). The caller guarantees cap >= n + 2. */
export function bigMulSmallInPlace(b: usize, m: u64): void {
  const n = bigLen(b);
  let carry: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const t = limb(b, i) * m + carry;
    setLimb(b, i, t % BASE);
    carry = t / BASE;
  }
  let k = n;
  while (carry != 0) {
    setLimb(b, k++, carry % BASE);
    carry /= BASE;
  }
  store<u32>(b + B_N, k);
}

/** Compares magnitudes: -1, 0 or 1. */
export function bigCmpMag(a: usize, b: usize): i32 {
  const na = bigLen(a);
  const nb = bigLen(b);
  if (na != nb) return na < nb ? -1 : 1;
  for (let i = na; i > 0; i--) {
    const x = limb(a, i - 1);
    const y = limb(b, i - 1);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

function addMag(a: usize, b: usize, neg: bool): usize {
  const na = bigLen(a);
  const nb = bigLen(b);
  const n = na > nb ? na : nb;
  const r = bigNew(n + 1);
  let carry: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const t = (i < na ? limb(a, i) : 0) + (i < nb ? limb(b, i) : 0) + carry;
    setLimb(r, i, t % BASE);
    carry = t / BASE;
  }
  setLimb(r, n, carry);
  store<u32>(r + B_NEG, neg ? 1 : 0);
  return trim(r, n + 1);
}

/** |a| - |b| with |a| >= |b|. */
function subMag(a: usize, b: usize, neg: bool): usize {
  const na = bigLen(a);
  const nb = bigLen(b);
  const r = bigNew(na);
  let borrow: i64 = 0;
  for (let i: u32 = 0; i < na; i++) {
    let t = <i64>limb(a, i) - (i < nb ? <i64>limb(b, i) : 0) - borrow;
    borrow = 0;
    if (t < 0) {
      t += <i64>BASE;
      borrow = 1;
    }
    setLimb(r, i, <u64>t);
  }
  store<u32>(r + B_NEG, neg ? 1 : 0);
  return trim(r, na);
}

function addSigned(a: usize, b: usize, bNeg: bool): usize {
  const aNeg = bigIsNeg(a);
  if (aNeg == bNeg) return addMag(a, b, aNeg);
  const c = bigCmpMag(a, b);
  if (c == 0) return bigNew(1);
  return c > 0 ? subMag(a, b, aNeg) : subMag(b, a, bNeg);
}

export function bigAdd(a: usize, b: usize): usize {
  return addSigned(a, b, bigIsNeg(b));
}

export function bigSub(a: usize, b: usize): usize {
  return addSigned(a, b, bigLen(b) != 0 && !bigIsNeg(b));
}

export function bigMul(a: usize, b: usize): usize {
  const na = bigLen(a);
  const nb = bigLen(b);
  const r = bigNew(na + nb + 1);
  memory.fill(r + B_LIMBS, 0, (<usize>(na + nb + 1)) << 2);
  for (let i: u32 = 0; i < na; i++) {
    const x = limb(a, i);
    if (x == 0) continue;
    let carry: u64 = 0;
    for (let j: u32 = 0; j < nb; j++) {
      const t = limb(r, i + j) + x * limb(b, j) + carry;
      setLimb(r, i + j, t % BASE);
      carry = t / BASE;
    }
    let k = i + nb;
    while (carry != 0) {
      const t = limb(r, k) + carry;
      setLimb(r, k++, t % BASE);
      carry = t / BASE;
    }
  }
  store<u32>(r + B_NEG, bigIsNeg(a) != bigIsNeg(b) ? 1 : 0);
  return trim(r, na + nb + 1);
}

/** The magnitude's decimal digits (no sign, no leading zeros; "0" for zero) into `out`. */
export function bigDigitCount(b: usize): u32 {
  const n = bigLen(b);
  if (n == 0) return 1;
  let top = limb(b, n - 1);
  let d: u32 = 1;
  while (top >= 10) {
    top /= 10;
    d++;
  }
  return (n - 1) * 9 + d;
}

export function bigWriteDigits(b: usize, out: usize): usize {
  const n = bigLen(b);
  const total = <usize>bigDigitCount(b);
  if (n == 0) {
    store<u8>(out, 0x30);
    return out + 1;
  }
  let p = out + total;
  for (let i: u32 = 0; i < n; i++) {
    let x = limb(b, i);
    const full = i + 1 < n;
    for (let k = 0; k < 9 && (full || x != 0); k++) {
      store<u8>(--p, <u8>(0x30 + <u32>(x % 10)));
      x /= 10;
    }
  }
  return out + total;
}

/** If b fits i64, stores it at `out` and returns true. */
export function bigToI64(b: usize, out: usize): bool {
  const n = bigLen(b);
  if (n > 3) return false;
  if (n == 3 && limb(b, 2) > 9) return false; // 10e18 > 2^63; keeps m below 2^64
  let m: u64 = 0;
  for (let i = n; i > 0; i--) m = m * BASE + limb(b, i - 1);
  const neg = bigIsNeg(b);
  if (neg ? m > <u64>0x8000000000000000 : m > <u64>0x7fffffffffffffff) return false;
  store<i64>(out, neg ? <i64>(<u64>0 - m) : <i64>m);
  return true;
}

const I64_TMP: usize = memory.data(8);

/** The canonical value of b: TAG_INT when it fits i64, else TAG_BIGNUM with fresh text. */
export function bigToValue(b: usize): usize {
  if (bigToI64(b, I64_TMP)) return newInt(load<i64>(I64_TMP));
  const neg = bigIsNeg(b);
  const len = <usize>bigDigitCount(b) + (neg ? 1 : 0);
  const text = alloc(len);
  if (neg) store<u8>(text, 0x2d);
  bigWriteDigits(b, neg ? text + 1 : text);
  return newBignum(text, len);
}
