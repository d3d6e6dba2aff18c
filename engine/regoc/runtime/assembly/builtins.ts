// Native builtins (plan-format.ts lists the ids). Contract: a call returns the result value, or
// 0 when the result is undefined. Anything regoc does not reproduce exactly as OPA does —
// argument type errors (OPA reports them, at compile or run time), floats where only integers
// are implemented, non-ASCII case mapping, divide by zero — aborts `regoc:unsupported`, so a
// case is never answered wrongly.
import { fail, unsupportedBuiltin as bad } from './abort';
import { enumError, evalError, strict, typeError } from './builtin-error';
import { alloc } from './alloc';
import { globMatch, sprintf } from './text';
import { timeBuiltin } from './time';
import { intAdd, intMul } from './arith';
import { objectGet, setAdd, setContains } from './collections';
import { compareValues, valuesEqual } from './compare';
import {
  TAG_ARRAY,
  TAG_BIGNUM,
  TAG_BOOL,
  TAG_FLOAT,
  TAG_INT,
  TAG_NULL,
  TAG_OBJECT,
  TAG_SET,
  TAG_STRING,
  V_A,
  V_B,
} from './layout';
import {
  arrayAt,
  arrayPush,
  FALSE_V,
  newFloat,
  newCollection,
  newInt,
  newString,
  objectKeyAt,
  objectValueAt,
  TRUE_V,
  lenOf as len,
  ptrOf as ptr,
  tagOf as tag,
} from './value';

function boolV(b: bool): usize {
  return b ? TRUE_V : FALSE_V;
}
function isStr(v: usize): bool {
  return tag(v) == TAG_STRING;
}
function isInt(v: usize): bool {
  return tag(v) == TAG_INT || tag(v) == TAG_BIGNUM;
}
/** Arrays and sets share their layout (u32 element addresses). */
function isSeq(v: usize): bool {
  return tag(v) == TAG_ARRAY || tag(v) == TAG_SET;
}
function str2(a: usize, b: usize): void {
  if (!isStr(a) || !isStr(b)) bad();
}
/** Does a's text at byte offset `at` hold b's text? */
function bytesAt(a: usize, at: u32, b: usize): bool {
  if (at + len(b) > len(a)) return false;
  return memory.compare(ptr(a) + at, ptr(b), len(b)) == 0;
}
function sub(s: usize, from: u32, to: u32): usize {
  return newString(ptr(s) + from, to - from);
}

export function callBuiltin(id: u32, a: usize, b: usize, c: usize, d: usize): usize {
  if (id >= 50 && id <= 54) return timeBuiltin(id, a, b, c, d);
  switch (id) {
    case 0:
      return count(a);
    case 1:
    case 30:
      return fold(a, id == 1);
    case 2:
    case 3:
      return extreme(a, id == 2);
    case 4:
      return sortOf(a);
    case 5:
      return concat(a, b);
    case 6:
      str2(a, b);
      for (let i: u32 = 0; i + len(b) <= len(a); i++) if (bytesAt(a, i, b)) return TRUE_V;
      return FALSE_V;
    case 7:
      str2(a, b);
      return boolV(bytesAt(a, 0, b));
    case 8:
      str2(a, b);
      return boolV(len(b) <= len(a) && bytesAt(a, len(a) - len(b), b));
    case 9:
    case 10:
      return caseMap(a, id == 10);
    case 11:
      return objectPath(a, b, c);
    case 12:
      return keys(a);
    case 13:
      return arrayConcat(a, b);
    case 14:
    case 15:
      return setFold(a, id == 14);
    case 16:
      return boolV(tag(a) == TAG_INT || tag(a) == TAG_BIGNUM || tag(a) == TAG_FLOAT);
    case 17:
      return boolV(tag(a) == TAG_STRING);
    case 18:
      return boolV(tag(a) == TAG_BOOL);
    case 19:
      return boolV(tag(a) == TAG_ARRAY);
    case 20:
      return boolV(tag(a) == TAG_SET);
    case 21:
      return boolV(tag(a) == TAG_OBJECT);
    case 22:
      return boolV(tag(a) == TAG_NULL);
    case 24:
    case 25:
      return divRem(a, b, id == 24);
    case 26:
      return member(a, b);
    case 27:
      str2(a, b);
      return bytesAt(a, 0, b) ? sub(a, len(b), len(a)) : a;
    case 28:
      str2(a, b);
      return len(b) <= len(a) && bytesAt(a, len(a) - len(b), b) ? sub(a, 0, len(a) - len(b)) : a;
    case 29:
      return split(a, b);
    case 31:
      if (tag(a) != TAG_INT || load<i64>(a + V_B) == i64.MIN_VALUE) return bad();
      return load<i64>(a + V_B) < 0 ? newInt(-load<i64>(a + V_B)) : a;
    case 32:
    case 33:
      return anyAffix(a, b, id == 32);
    case 34:
      str2(a, b);
      if (len(b) == 0) return bad();
      for (let i: u32 = 0; i + len(b) <= len(a); i++)
        if (bytesAt(a, i, b)) return newInt(<i64>runeIndex(a, i));
      return newInt(-1);
    case 35:
      return indexAll(a, b);
    case 36:
      return substring(a, b, c);
    case 37:
    case 38:
    case 39:
    case 40:
      return trim(a, b, id);
    case 41:
      return replace(a, b, c);
    case 42:
      return formatInt(a, b);
    case 55:
    case 56:
    case 57:
      return setOp(a, b, id);
    case 43:
    case 44:
    case 45:
      return rounding(a, id);
    case 46:
      return globMatch(a, b, c);
    case 47:
      return sprintf(a, b);
    case 96:
      return range(a, b);
  }
  return bad();
}

/** count: elements of a collection, code points of a string. */
function count(a: usize): usize {
  const t = tag(a);
  if (t == TAG_ARRAY || t == TAG_SET || t == TAG_OBJECT) return newInt(<i64>len(a));
  if (t != TAG_STRING) return bad();
  let n: i64 = 0;
  for (let i: u32 = 0; i < len(a); i++) if ((load<u8>(ptr(a) + i) & 0xc0) != 0x80) n++;
  return newInt(n);
}

/** sum (plus) or product of integers; floats are unsupported. */
function fold(a: usize, plus: bool): usize {
  if (!isSeq(a)) return bad();
  let acc = newInt(plus ? 0 : 1);
  for (let i: u32 = 0; i < len(a); i++) {
    const x = arrayAt(a, i);
    if (!isInt(x)) return bad();
    acc = plus ? intAdd(acc, x) : intMul(acc, x);
  }
  return acc;
}

function extreme(a: usize, max: bool): usize {
  if (!isSeq(a) || len(a) == 0) return bad();
  let best = arrayAt(a, 0);
  for (let i: u32 = 1; i < len(a); i++) {
    const c = compareValues(arrayAt(a, i), best);
    if (max ? c > 0 : c < 0) best = arrayAt(a, i);
  }
  return best;
}

/** sort: a stable insertion sort into a new array. */
function sortOf(a: usize): usize {
  if (!isSeq(a)) return bad();
  const n = len(a);
  const out = newCollection(TAG_ARRAY, n);
  for (let i: u32 = 0; i < n; i++) arrayPush(out, arrayAt(a, i));
  const p = ptr(out);
  for (let i: u32 = 1; i < n; i++) {
    const x = <usize>load<u32>(p + ((<usize>i) << 2));
    let j = i;
    while (j > 0 && compareValues(<usize>load<u32>(p + ((<usize>(j - 1)) << 2)), x) > 0) {
      store<u32>(p + ((<usize>j) << 2), load<u32>(p + ((<usize>(j - 1)) << 2)));
      j--;
    }
    store<u32>(p + ((<usize>j) << 2), <u32>x);
  }
  return out;
}

function concat(d: usize, a: usize): usize {
  if (!isStr(d) || !isSeq(a)) return bad();
  let total: u32 = 0;
  for (let i: u32 = 0; i < len(a); i++) {
    if (!isStr(arrayAt(a, i))) return bad();
    total += len(arrayAt(a, i)) + (i > 0 ? len(d) : 0);
  }
  const out = alloc(<usize>total);
  let at = out;
  for (let i: u32 = 0; i < len(a); i++) {
    if (i > 0) {
      memory.copy(at, ptr(d), len(d));
      at += len(d);
    }
    const s = arrayAt(a, i);
    memory.copy(at, ptr(s), len(s));
    at += len(s);
  }
  return newString(out, total);
}

/** lower/upper on ASCII text (other text is unsupported). */
function caseMap(a: usize, upper: bool): usize {
  if (!isStr(a)) return bad();
  const out = alloc(<usize>len(a));
  for (let i: u32 = 0; i < len(a); i++) {
    let ch = load<u8>(ptr(a) + i);
    if (ch >= 0x80) return bad();
    if (upper && ch >= 0x61 && ch <= 0x7a) ch -= 0x20;
    if (!upper && ch >= 0x41 && ch <= 0x5a) ch += 0x20;
    store<u8>(out + i, ch);
  }
  return newString(out, len(a));
}

function keys(a: usize): usize {
  if (tag(a) != TAG_OBJECT) return bad();
  const out = newCollection(TAG_SET, len(a));
  for (let i: u32 = 0; i < len(a); i++) setAdd(out, objectKeyAt(a, i));
  return out;
}

function arrayConcat(a: usize, b: usize): usize {
  if (tag(a) != TAG_ARRAY || tag(b) != TAG_ARRAY) return bad();
  const out = newCollection(TAG_ARRAY, len(a) + len(b));
  for (let i: u32 = 0; i < len(a); i++) arrayPush(out, arrayAt(a, i));
  for (let i: u32 = 0; i < len(b); i++) arrayPush(out, arrayAt(b, i));
  return out;
}

/** union / intersection of a set of sets. */
function setFold(a: usize, isUnion: bool): usize {
  if (tag(a) != TAG_SET) return bad();
  for (let i: u32 = 0; i < len(a); i++) if (tag(arrayAt(a, i)) != TAG_SET) return bad();
  const out = newCollection(TAG_SET, 4);
  if (len(a) == 0) return out;
  const sources: u32 = isUnion ? len(a) : 1;
  for (let i: u32 = 0; i < sources; i++) {
    const s = arrayAt(a, i);
    for (let j: u32 = 0; j < len(s); j++) {
      const x = arrayAt(s, j);
      let keep = true;
      if (!isUnion)
        for (let k: u32 = 1; k < len(a); k++) if (!setContains(arrayAt(a, k), x)) keep = false;
      if (keep) setAdd(out, x);
    }
  }
  return out;
}

/** `/` and `%` on i64 integers; an inexact quotient (a float) and zero divisors are unsupported. */
function isNum(v: usize): bool {
  return tag(v) == TAG_INT || tag(v) == TAG_BIGNUM || tag(v) == TAG_FLOAT;
}

function divRem(a: usize, b: usize, div: bool): usize {
  const name = div ? 'div' : 'rem';
  if (!isNum(a)) return typeError(name, 1, 'number', a);
  if (!isNum(b)) return typeError(name, 2, 'number', b);
  const zero = tag(b) == TAG_INT && load<i64>(b + V_B) == 0;
  if (div && zero) return evalError('div', 'divide by zero');
  // rem: a float operand whose value is not integral is OPA's error before any other check.
  if (!div && (fractional(a) || fractional(b))) {
    return evalError('rem', 'modulo on floating-point number');
  }
  if (!div && zero && tag(a) == TAG_INT) return evalError('rem', 'modulo by zero');
  if (tag(a) != TAG_INT || tag(b) != TAG_INT) return bad();
  const x = load<i64>(a + V_B);
  const y = load<i64>(b + V_B);
  if (y == 0 || (x == i64.MIN_VALUE && y == -1)) return bad();
  if (!div) return newInt(x % y);
  if (x % y != 0) return dyadicQuotient(x, y);
  return newInt(x / y);
}

/** x / y (y != 0, not a divisor of x) where OPA's 64-bit big.Float quotient is exact and our
 *  f64 holds the same value: the reduced denominator is a power of two, the numerator below
 *  2^53, and the exact decimal has at most 15 significant digits. Otherwise unsupported. */
function dyadicQuotient(x: i64, y: i64): usize {
  const lim: i64 = 9007199254740992; // 2^53
  if (x <= -lim || x >= lim || y <= -lim || y >= lim) return bad();
  let a: u64 = <u64>(x < 0 ? -x : x);
  let b: u64 = <u64>(y < 0 ? -y : y);
  let g = a;
  let h = b;
  while (h != 0) {
    const t = g % h;
    g = h;
    h = t;
  }
  a /= g;
  b /= g;
  if ((b & (b - 1)) != 0) return bad();
  // a / 2^k has k fractional digits; its significant digits are those of a * 5^k.
  let m = a;
  for (let d = b; d > 1; d >>= 1) {
    if (m > 200000000000000) return bad(); // m * 5 would reach 10^15
    m *= 5;
  }
  if (m >= 1000000000000000) return bad();
  return newFloat(<f64>x / <f64>y, 0, 0);
}

/** numbers.range(a, b) of integers: a..b inclusive, descending when a > b. Non-integers (an
 *  OPA error) and ranges over 10^6 elements are unsupported. */
function range(a: usize, b: usize): usize {
  if (tag(a) != TAG_INT || tag(b) != TAG_INT) return bad();
  const x = load<i64>(a + V_B);
  const y = load<i64>(b + V_B);
  const span = x <= y ? y - x : x - y;
  if (span < 0 || span >= 1000000) return bad();
  const out = newCollection(TAG_ARRAY, <u32>span + 1);
  const step: i64 = x <= y ? 1 : -1;
  for (let i: i64 = 0; i <= span; i++) arrayPush(out, newInt(x + i * step));
  return out;
}

/** A float whose f64 is finite and not integral (so its decimal is not integral either). */
function fractional(v: usize): bool {
  if (tag(v) != TAG_FLOAT) return false;
  const x = load<f64>(v + V_B);
  return isFinite(x) && Math.floor(x) != x;
}

/** `x in coll`: array items, set members, object values. */
function member(x: usize, coll: usize): usize {
  const t = tag(coll);
  if (t == TAG_SET) return boolV(setContains(coll, x));
  if (t == TAG_ARRAY) {
    for (let i: u32 = 0; i < len(coll); i++) if (valuesEqual(arrayAt(coll, i), x)) return TRUE_V;
    return FALSE_V;
  }
  if (t == TAG_OBJECT) {
    for (let i: u32 = 0; i < len(coll); i++)
      if (valuesEqual(objectValueAt(coll, i), x)) return TRUE_V;
    return FALSE_V;
  }
  return bad();
}

/** split on a non-empty delimiter. */
function split(s: usize, d: usize): usize {
  str2(s, d);
  if (len(d) == 0) return bad();
  const out = newCollection(TAG_ARRAY, 4);
  let from: u32 = 0;
  let i: u32 = 0;
  while (i + len(d) <= len(s)) {
    if (bytesAt(s, i, d)) {
      arrayPush(out, sub(s, from, i));
      i += len(d);
      from = i;
    } else i++;
  }
  arrayPush(out, sub(s, from, len(s)));
  return out;
}

/** object.get: a key, or an array of keys walked through objects, arrays and sets. */
function objectPath(obj: usize, key: usize, dflt: usize): usize {
  if (tag(obj) != TAG_OBJECT) return typeError('object.get', 1, 'object', obj);
  if (tag(key) != TAG_ARRAY) {
    const v = objectGet(obj, key);
    return v != 0 ? v : dflt;
  }
  let cur = obj;
  for (let i: u32 = 0; i < len(key) && cur != 0; i++) {
    const k = arrayAt(key, i);
    const t = tag(cur);
    if (t == TAG_OBJECT) cur = objectGet(cur, k);
    else if (t == TAG_SET) cur = setContains(cur, k) ? k : 0;
    else if (t == TAG_ARRAY && tag(k) == TAG_INT) {
      const j = load<i64>(k + V_B);
      cur = j >= 0 && j < <i64>len(cur) ? arrayAt(cur, <u32>j) : 0;
    } else cur = 0;
  }
  return cur != 0 ? cur : dflt;
}

/** Code points before byte offset `at`. */
function runeIndex(s: usize, at: u32): u32 {
  let n: u32 = 0;
  for (let i: u32 = 0; i < at; i++) if ((load<u8>(ptr(s) + i) & 0xc0) != 0x80) n++;
  return n;
}

/** Byte offset of code point `r` (the length when past the end). */
function runeOffset(s: usize, r: i64): u32 {
  let n: i64 = 0;
  for (let i: u32 = 0; i < len(s); i++) {
    if ((load<u8>(ptr(s) + i) & 0xc0) != 0x80) {
      if (n == r) return i;
      n++;
    }
  }
  return len(s);
}

/** A string, or an array/set of strings, as a sequence (a string becomes [s]). */
/** A string, or an array/set of strings, as a sequence; 0 on OPA's type error, which is
 *  undefined without strict builtin errors (its strict text carries the expression's
 *  location, which the runtime does not have: unsupported). */
function strings(v: usize): usize {
  if (isStr(v)) {
    const one = newCollection(TAG_ARRAY, 1);
    arrayPush(one, v);
    return one;
  }
  if (!isSeq(v)) return strict() ? bad() : 0;
  for (let i: u32 = 0; i < len(v); i++) if (!isStr(arrayAt(v, i))) return strict() ? bad() : 0;
  return v;
}

/** strings.any_prefix_match / any_suffix_match. */
function anyAffix(a: usize, b: usize, prefix: bool): usize {
  const xs = strings(a);
  if (xs == 0) return 0;
  const ys = strings(b);
  if (ys == 0) return 0;
  for (let i: u32 = 0; i < len(xs); i++) {
    const x = arrayAt(xs, i);
    for (let j: u32 = 0; j < len(ys); j++) {
      const y = arrayAt(ys, j);
      if (len(y) > len(x)) continue;
      if (bytesAt(x, prefix ? 0 : len(x) - len(y), y)) return TRUE_V;
    }
  }
  return FALSE_V;
}

/** indexof_n: code-point indexes of every match; overlapping matches are unsupported. */
function indexAll(a: usize, b: usize): usize {
  str2(a, b);
  if (len(b) == 0) return bad();
  const out = newCollection(TAG_ARRAY, 4);
  let last: i64 = -1;
  for (let i: u32 = 0; i + len(b) <= len(a); i++) {
    if (!bytesAt(a, i, b)) continue;
    if (last >= 0 && <i64>i < last + <i64>len(b)) return bad();
    last = <i64>i;
    arrayPush(out, newInt(<i64>runeIndex(a, i)));
  }
  return out;
}

/** substring(s, start, length) in code points; a negative length takes the rest. */
function substring(s: usize, start: usize, n: usize): usize {
  if (!isStr(s) || tag(start) != TAG_INT || tag(n) != TAG_INT) return bad();
  const from = load<i64>(start + V_B);
  const count = load<i64>(n + V_B);
  if (from < 0) return bad();
  const p = runeOffset(s, from);
  const q = count < 0 ? len(s) : runeOffset(s, from + count);
  return sub(s, p, q);
}

function inCutset(ch: u8, cut: usize): bool {
  for (let i: u32 = 0; i < len(cut); i++) if (load<u8>(ptr(cut) + i) == ch) return true;
  return false;
}

/** trim (37), trim_left (38), trim_right (39) with an ASCII cutset; trim_space (40) of ASCII
 *  white space (non-ASCII text at either end is unsupported). */
function trim(s: usize, cut: usize, id: u32): usize {
  if (!isStr(s)) return bad();
  const space = id == 40;
  if (!space) {
    if (!isStr(cut)) return bad();
    for (let i: u32 = 0; i < len(cut); i++) if (load<u8>(ptr(cut) + i) >= 0x80) return bad();
  }
  let p: u32 = 0;
  let q = len(s);
  if (id != 39) while (p < q && drop(load<u8>(ptr(s) + p), cut, space)) p++;
  if (id != 38) while (q > p && drop(load<u8>(ptr(s) + q - 1), cut, space)) q--;
  return sub(s, p, q);
}

function drop(ch: u8, cut: usize, space: bool): bool {
  if (!space) return inCutset(ch, cut);
  if (ch >= 0x80) bad();
  return ch == 0x20 || (ch >= 0x09 && ch <= 0x0d);
}

/** replace: every non-overlapping occurrence, left to right; an empty `old` is unsupported. */
function replace(s: usize, old: usize, nw: usize): usize {
  str2(s, old);
  if (!isStr(nw) || len(old) == 0) return bad();
  let total: u32 = 0;
  for (let pass = 0; pass < 2; pass++) {
    const out = pass == 0 ? 0 : alloc(<usize>total);
    let at: u32 = 0;
    let i: u32 = 0;
    while (i < len(s)) {
      if (bytesAt(s, i, old)) {
        if (pass == 1) memory.copy(out + at, ptr(nw), len(nw));
        at += len(nw);
        i += len(old);
      } else {
        if (pass == 1) store<u8>(out + at, load<u8>(ptr(s) + i));
        at++;
        i++;
      }
    }
    if (pass == 1) return newString(out, at);
    total = at;
  }
  return bad();
}

/** format_int on i64 integers and truncated floats, bases 2, 8, 10 and 16 (lower-case digits). */
function formatInt(n: usize, b: usize): usize {
  if (!isNum(n)) return typeError('format_int', 1, 'number', n);
  if (!isNum(b)) return typeError('format_int', 2, 'number', b);
  if (tag(b) != TAG_INT) return bad();
  const base = load<i64>(b + V_B);
  if (base != 2 && base != 8 && base != 10 && base != 16) {
    return enumError('format_int', 2, '2, 8, 10, 16');
  }
  // Floats truncate toward zero (as OPA does), where the f64 decides exactly (rounding()).
  const x: i64 =
    tag(n) == TAG_FLOAT
      ? load<i64>(rounding(n, 46) + V_B)
      : tag(n) == TAG_INT
        ? load<i64>(n + V_B)
        : <i64>bad();
  let m: u64 = x < 0 ? <u64>0 - <u64>x : <u64>x;
  const buf = alloc(72);
  let at: usize = 72;
  do {
    const d = <u8>(m % <u64>base);
    store<u8>(buf + --at, d < 10 ? 0x30 + d : 0x57 + d);
    m /= <u64>base;
  } while (m != 0);
  if (x < 0) store<u8>(buf + --at, 0x2d);
  return newString(buf + at, <u32>(72 - at));
}

/** ceil (43), floor (44), round (45, half away from zero), truncation (46, format_int). Integers pass through; a float is
 *  taken by its f64, which is exact for the result unless it is integral, a half, or beyond
 *  2^52 (the source decimal may lie on the other side): those are unsupported. */
function rounding(a: usize, id: u32): usize {
  if (isInt(a)) return a;
  if (tag(a) != TAG_FLOAT) return bad();
  const x = load<f64>(a + V_B);
  const frac = x - Math.floor(x);
  if (!(Math.abs(x) < 4503599627370496.0) || frac == 0 || (id == 45 && frac == 0.5)) return bad();
  const r =
    id == 43 ? Math.ceil(x) : id == 44 ? Math.floor(x) : id == 45 ? Math.round(x) : Math.trunc(x);
  return newInt(<i64>r);
}

/** Set `|` (55), `&` (56) and `-` (57) of two sets. */
export function setOp(a: usize, b: usize, id: u32): usize {
  if (tag(a) != TAG_SET || tag(b) != TAG_SET) return bad();
  const out = newCollection(TAG_SET, len(a));
  for (let i: u32 = 0; i < len(a); i++) {
    const x = arrayAt(a, i);
    if (id == 55 || (id == 56) == setContains(b, x)) setAdd(out, x);
  }
  if (id == 55) for (let i: u32 = 0; i < len(b); i++) setAdd(out, arrayAt(b, i));
  return out;
}
