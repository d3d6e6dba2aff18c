// Rego's total order on values and the equality and hash that agree with it.
// Order: null < boolean < number < string < array < object < set. false < true; numbers by exact
// value across int, bignum and float (decimal.ts), so 1 == 1.0; strings by UTF-8 bytes; arrays
// element by element, then the shorter first; objects pair by pair over their keys in canonical
// order (key first, then value), then the smaller first; sets element by element in canonical
// order, then the smaller first. Objects and sets must be canonical (collections.ts keeps them
// so), which makes element-wise comparison structural.
import { compareNumbers, hashNumber } from './decimal';
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
import { fail } from './abort';

/** The type's position in the order; numbers share one rank. */
export function typeRank(tag: u32): i32 {
  switch (tag) {
    case TAG_NULL:
      return 0;
    case TAG_BOOL:
      return 1;
    case TAG_INT:
    case TAG_BIGNUM:
    case TAG_FLOAT:
      return 2;
    case TAG_STRING:
      return 3;
    case TAG_ARRAY:
      return 4;
    case TAG_OBJECT:
      return 5;
    case TAG_SET:
      return 6;
  }
  fail('regoc:internal: bad value tag');
  return -1;
}

/** Byte-wise comparison of two UTF-8 strings (equivalently, by code point). */
export function compareBytes(p: usize, n: usize, q: usize, m: usize): i32 {
  const k = n < m ? n : m;
  let i: usize = 0;
  // Skip the common prefix 8 bytes at a time, then find the first differing byte.
  while (i + 8 <= k && load<u64>(p + i) == load<u64>(q + i)) i += 8;
  for (; i < k; i++) {
    const a = load<u8>(p + i);
    const b = load<u8>(q + i);
    if (a != b) return a < b ? -1 : 1;
  }
  return n < m ? -1 : n > m ? 1 : 0;
}

function len(v: usize): u32 {
  return load<u32>(v + V_A);
}
function slots(v: usize): usize {
  return <usize>load<u32>(v + V_B);
}

/** -1, 0 or 1 as a orders before, with, or after b. */
export function compareValues(a: usize, b: usize): i32 {
  if (a == b) return 0;
  const ta = load<u32>(a);
  const tb = load<u32>(b);
  // Fast path for object keys.
  if (ta == TAG_STRING && tb == TAG_STRING)
    return compareBytes(slots(a), <usize>len(a), slots(b), <usize>len(b));
  const ra = typeRank(ta);
  const rb = typeRank(tb);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1: {
      const x = len(a);
      const y = len(b);
      return x == y ? 0 : x < y ? -1 : 1;
    }
    case 2:
      return compareNumbers(a, b);
    case 3:
      return compareBytes(slots(a), <usize>len(a), slots(b), <usize>len(b));
    case 4:
    case 6:
      return compareSeq(a, b, 4);
  }
  return compareSeq(a, b, 8);
}

/** Lexicographic over `slot`-byte entries of u32 value pointers (8: key then value). */
function compareSeq(a: usize, b: usize, slot: usize): i32 {
  const n = len(a);
  const m = len(b);
  const k = n < m ? n : m;
  const p = slots(a);
  const q = slots(b);
  for (let i: usize = 0; i < <usize>k; i++) {
    const at = i * slot;
    let c = compareValues(<usize>load<u32>(p + at), <usize>load<u32>(q + at));
    if (c != 0) return c;
    if (slot == 8) {
      c = compareValues(<usize>load<u32>(p + at + 4), <usize>load<u32>(q + at + 4));
      if (c != 0) return c;
    }
  }
  return n < m ? -1 : n > m ? 1 : 0;
}

export function valuesEqual(a: usize, b: usize): bool {
  if (a == b) return true;
  const ta = load<u32>(a);
  const tb = load<u32>(b);
  // Cheap rejections before the full comparison.
  if (ta != tb && (typeRank(ta) != 2 || typeRank(tb) != 2)) return false;
  if (ta >= TAG_STRING && len(a) != len(b)) return false;
  return compareValues(a, b) == 0;
}

const FNV_OFFSET: u32 = 2166136261;
const FNV_PRIME: u32 = 16777619;

/** A 32-bit hash with valuesEqual(a, b) => hashValue(a) == hashValue(b). */
export function hashValue(v: usize): u32 {
  return hashInto(FNV_OFFSET, v);
}

function hashInto(h: u32, v: usize): u32 {
  const tag = load<u32>(v);
  const rank = typeRank(tag);
  h = (h ^ (<u32>rank + 0x80)) * FNV_PRIME;
  switch (rank) {
    case 0:
      return h;
    case 1:
      return (h ^ len(v)) * FNV_PRIME;
    case 2:
      return hashNumber(h, v);
    case 3: {
      const p = slots(v);
      const n = <usize>len(v);
      for (let i: usize = 0; i < n; i++) h = (h ^ (<u32>load<u8>(p + i))) * FNV_PRIME;
      return (h ^ 0xff) * FNV_PRIME;
    }
  }
  const n = <usize>len(v) * (rank == 5 ? 2 : 1);
  const p = slots(v);
  for (let i: usize = 0; i < n; i++) h = hashInto(h, <usize>load<u32>(p + (i << 2)));
  return (h ^ 0xfe) * FNV_PRIME;
}
