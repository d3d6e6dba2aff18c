// JSON text -> values (RFC 8259). Contract: returns 0 on any syntax error, never aborts.
// Strings without escapes point into the source text (zero-copy), so the text must outlive
// the value; the SDK keeps both on the same heap. Numbers: integers that fit i64 are TAG_INT,
// longer integers TAG_BIGNUM (exact text), anything with a fraction or exponent TAG_FLOAT with
// its source text kept (its value for comparison and its dump) and a correctly rounded f64 (for
// arithmetic). Raw string bytes must be valid UTF-8 (no overlong forms, no surrogates, nothing
// above U+10FFFF), else the parse fails. Objects come out canonical: keys sorted, and a key
// that appears twice keeps its last value (as Go's encoding/json, which OPA reads input with).
import { alloc } from './alloc';
import { approxDecimal, pow10, refineFloat } from './float-parse';
import {
  FALSE_V,
  NULL_V,
  TAG_ARRAY,
  TAG_OBJECT,
  TRUE_V,
  arrayPush,
  newBignum,
  newCollection,
  newFloat,
  newInt,
  newString,
  objectPush,
} from './value';

const MAX_DEPTH: i32 = 1000;

let pos: usize = 0;
let end: usize = 0;
let depth: i32 = 0;

export function parseJSON(addr: usize, len: usize): usize {
  pos = addr;
  end = addr + len;
  depth = 0;
  skipWs();
  const v = parseValue();
  if (v == 0) return 0;
  skipWs();
  return pos == end ? v : 0;
}

function peek(): u32 {
  return pos < end ? <u32>load<u8>(pos) : 0;
}

function skipWs(): void {
  while (pos < end) {
    const c = load<u8>(pos);
    if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) return;
    pos++;
  }
}

function parseValue(): usize {
  const c = peek();
  if (c == 0x22) return parseString();
  if (c == 0x7b) return parseObject();
  if (c == 0x5b) return parseArray();
  if (c == 0x74) return literal(TRUE_V, 0x65757274, 4); // "true"
  if (c == 0x66) return literal5False();
  if (c == 0x6e) return literal(NULL_V, 0x6c6c756e, 4); // "null"
  if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return parseNumber();
  return 0;
}

function literal(v: usize, word: u32, n: usize): usize {
  if (end - pos < n || load<u32>(pos) != word) return 0;
  pos += n;
  return v;
}

function literal5False(): usize {
  if (end - pos < 5 || load<u32>(pos) != 0x736c6166 || load<u8>(pos + 4) != 0x65) return 0;
  pos += 5;
  return FALSE_V;
}

function enter(): bool {
  return ++depth <= MAX_DEPTH;
}

function parseArray(): usize {
  if (!enter()) return 0;
  pos++; // [
  const arr = newCollection(TAG_ARRAY, 4);
  skipWs();
  if (peek() == 0x5d) {
    pos++;
    depth--;
    return arr;
  }
  while (true) {
    skipWs();
    const v = parseValue();
    if (v == 0) return 0;
    arrayPush(arr, v);
    skipWs();
    const c = peek();
    pos++;
    if (c == 0x5d) break;
    if (c != 0x2c) return 0;
  }
  depth--;
  return arr;
}

function parseObject(): usize {
  if (!enter()) return 0;
  pos++; // {
  const obj = newCollection(TAG_OBJECT, 4);
  skipWs();
  if (peek() == 0x7d) {
    pos++;
    depth--;
    return obj;
  }
  while (true) {
    skipWs();
    if (peek() != 0x22) return 0;
    const k = parseString();
    if (k == 0) return 0;
    skipWs();
    if (peek() != 0x3a) return 0;
    pos++;
    skipWs();
    const v = parseValue();
    if (v == 0) return 0;
    objectPush(obj, k, v);
    skipWs();
    const c = peek();
    pos++;
    if (c == 0x7d) break;
    if (c != 0x2c) return 0;
  }
  depth--;
  return obj;
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** Does any byte of w need the byte loop: a quote, a backslash, a control byte (< 0x20) or a
 *  non-ASCII byte? Exact for "any" (the borrow tricks only err in bytes above a true match). */
function needsCare(w: u64): bool {
  const q = w ^ 0x2222222222222222;
  const b = w ^ 0x5c5c5c5c5c5c5c5c;
  return ((((q - ONES) & ~q) | ((b - ONES) & ~b) | (w - 0x2020202020202020) | w) & HIGHS) != 0;
}

function parseString(): usize {
  pos++; // opening quote
  const start = pos;
  let escaped = false;
  // Plain ASCII runs go eight bytes at a time; the byte loop below handles everything else.
  while (pos + 8 <= end && !needsCare(load<u64>(pos))) pos += 8;
  while (true) {
    if (pos >= end) return 0;
    const c = load<u8>(pos);
    if (c == 0x22) break;
    if (c < 0x20) return 0;
    if (c == 0x5c) {
      escaped = true;
      pos += 2;
    } else if (c < 0x80) {
      pos++;
    } else {
      const n = utf8SeqLen(pos, end);
      if (n == 0) return 0;
      pos += n;
    }
  }
  const stop = pos;
  pos++; // closing quote
  if (!escaped) return newString(start, stop - start);
  // Decoded UTF-8 is never longer than its escaped source.
  const out = alloc(stop - start);
  const n = unescape(start, stop, out);
  return n < 0 ? 0 : newString(out, <usize>n);
}

function isCont(p: usize, end: usize, lo: u32, hi: u32): bool {
  if (p >= end) return false;
  const c = <u32>load<u8>(p);
  return c >= lo && c <= hi;
}

/** Length of the well-formed UTF-8 sequence at p (lead byte >= 0x80), or 0 (RFC 3629 table). */
export function utf8SeqLen(p: usize, end: usize): usize {
  const c = <u32>load<u8>(p);
  if (c < 0xc2) return 0;
  if (c < 0xe0) return isCont(p + 1, end, 0x80, 0xbf) ? 2 : 0;
  if (c < 0xf0) {
    const lo: u32 = c == 0xe0 ? 0xa0 : 0x80;
    const hi: u32 = c == 0xed ? 0x9f : 0xbf;
    return isCont(p + 1, end, lo, hi) && isCont(p + 2, end, 0x80, 0xbf) ? 3 : 0;
  }
  if (c < 0xf5) {
    const lo: u32 = c == 0xf0 ? 0x90 : 0x80;
    const hi: u32 = c == 0xf4 ? 0x8f : 0xbf;
    return isCont(p + 1, end, lo, hi) &&
      isCont(p + 2, end, 0x80, 0xbf) &&
      isCont(p + 3, end, 0x80, 0xbf)
      ? 4
      : 0;
  }
  return 0;
}

/** Decodes [p, stop) into out; returns the byte count or -1 on a bad escape. */
function unescape(p: usize, stop: usize, out: usize): isize {
  let o = out;
  while (p < stop) {
    const c = load<u8>(p);
    if (c != 0x5c) {
      store<u8>(o++, c);
      p++;
      continue;
    }
    if (p + 1 >= stop) return -1;
    const e = load<u8>(p + 1);
    p += 2;
    let b: u32 = 0xffffffff;
    if (e == 0x22 || e == 0x5c || e == 0x2f) b = e;
    else if (e == 0x62) b = 0x08;
    else if (e == 0x66) b = 0x0c;
    else if (e == 0x6e) b = 0x0a;
    else if (e == 0x72) b = 0x0d;
    else if (e == 0x74) b = 0x09;
    if (b != 0xffffffff) {
      store<u8>(o++, <u8>b);
      continue;
    }
    if (e != 0x75) return -1;
    let cp = hex4(p, stop);
    if (cp < 0) return -1;
    p += 4;
    if (cp >= 0xd800 && cp <= 0xdbff) {
      // A high surrogate needs a following \uDC00-\uDFFF; a lone one becomes U+FFFD (as Go).
      const lo =
        p + 6 <= stop && load<u8>(p) == 0x5c && load<u8>(p + 1) == 0x75 ? hex4(p + 2, stop) : -1;
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        p += 6;
      } else {
        cp = 0xfffd;
      }
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      cp = 0xfffd;
    }
    o = putUtf8(o, <u32>cp);
  }
  return <isize>(o - out);
}

function hex4(p: usize, stop: usize): i32 {
  if (p + 4 > stop) return -1;
  let v: i32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const c = <i32>load<u8>(p + i);
    let d: i32;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else return -1;
    v = (v << 4) | d;
  }
  return v;
}

function putUtf8(o: usize, cp: u32): usize {
  if (cp < 0x80) {
    store<u8>(o, <u8>cp);
    return o + 1;
  }
  if (cp < 0x800) {
    store<u8>(o, <u8>(0xc0 | (cp >> 6)));
    store<u8>(o + 1, <u8>(0x80 | (cp & 0x3f)));
    return o + 2;
  }
  if (cp < 0x10000) {
    store<u8>(o, <u8>(0xe0 | (cp >> 12)));
    store<u8>(o + 1, <u8>(0x80 | ((cp >> 6) & 0x3f)));
    store<u8>(o + 2, <u8>(0x80 | (cp & 0x3f)));
    return o + 3;
  }
  store<u8>(o, <u8>(0xf0 | (cp >> 18)));
  store<u8>(o + 1, <u8>(0x80 | ((cp >> 12) & 0x3f)));
  store<u8>(o + 2, <u8>(0x80 | ((cp >> 6) & 0x3f)));
  store<u8>(o + 3, <u8>(0x80 | (cp & 0x3f)));
  return o + 4;
}

function isDigit(c: u32): bool {
  return c >= 0x30 && c <= 0x39;
}

function parseNumber(): usize {
  const start = pos;
  const neg = peek() == 0x2d;
  if (neg) pos++;
  let c = peek();
  if (!isDigit(c)) return 0;
  // Integer magnitude in u64 (`over` once it no longer fits: then the text is a bignum), and
  // for floats the first 19 significant digits in `sig` with decimal exponent `dexp`.
  let mag: u64 = 0;
  let over = false;
  let sig: u64 = 0;
  let nsig: i32 = 0;
  let dexp: i32 = 0;
  let dropped = false;
  if (c == 0x30) {
    pos++;
  } else {
    while (isDigit((c = peek()))) {
      const d = <u64>(c - 0x30);
      if (mag > (<u64>0xffffffffffffffff - d) / 10) over = true;
      else mag = mag * 10 + d;
      if (nsig < 19) {
        sig = sig * 10 + d;
        nsig++;
      } else {
        dexp++;
        if (d != 0) dropped = true;
      }
      pos++;
    }
  }
  let isFloat = false;
  if (peek() == 0x2e) {
    isFloat = true;
    pos++;
    if (!isDigit(peek())) return 0;
    while (isDigit((c = peek()))) {
      const d = <u64>(c - 0x30);
      if (nsig < 19) {
        if (sig != 0 || d != 0) {
          sig = sig * 10 + d;
          nsig++;
        }
        dexp--;
      } else if (d != 0) dropped = true;
      pos++;
    }
  }
  let exp: i32 = 0;
  c = peek();
  if (c == 0x65 || c == 0x45) {
    isFloat = true;
    pos++;
    c = peek();
    let eneg = false;
    if (c == 0x2b || c == 0x2d) {
      eneg = c == 0x2d;
      pos++;
    }
    if (!isDigit(peek())) return 0;
    while (isDigit((c = peek()))) {
      if (exp < 100000) exp = exp * 10 + <i32>(c - 0x30);
      pos++;
    }
    if (eneg) exp = -exp;
  }
  const len = pos - start;
  if (!isFloat) {
    const limit: u64 = neg ? 0x8000000000000000 : 0x7fffffffffffffff;
    if (!over && mag <= limit) return newInt(neg ? <i64>(0 - mag) : <i64>mag);
    return newBignum(start, len);
  }
  const e = dexp + exp;
  let x: f64;
  if (!dropped && nsig <= 15 && e >= -22 && e <= 22) {
    // Both operands exact: one correctly rounded operation (Clinger's fast path).
    x = e >= 0 ? <f64>sig * pow10(e) : <f64>sig / pow10(-e);
    if (neg) x = -x;
  } else {
    x = refineFloat(start, len, approxDecimal(sig, e));
  }
  return newFloat(x, start, len);
}
