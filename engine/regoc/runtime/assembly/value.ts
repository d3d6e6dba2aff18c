// Value constructors and accessors over raw linear memory (layout in layout.ts). Values are
// immutable once built, except arrays/objects while their builder fills them.
import { alloc } from './alloc';
import { objectInsert } from './collections';
import {
  FLOAT_SIZE,
  TAG_ARRAY,
  TAG_BIGNUM,
  TAG_BOOL,
  TAG_FLOAT,
  TAG_INT,
  TAG_NULL,
  TAG_OBJECT,
  TAG_STRING,
  V_A,
  V_B,
  V_C,
  V_FLOAT_SRC,
  V_TAG,
  VALUE_SIZE,
} from './layout';

export const NULL_V: usize = memory.data<u32>([TAG_NULL, 0, 0, 0]);
export const TRUE_V: usize = memory.data<u32>([TAG_BOOL, 1, 0, 0]);
export const FALSE_V: usize = memory.data<u32>([TAG_BOOL, 0, 0, 0]);
/** The empty object answered by builtins()/entrypoints() when no plan is spliced in. */
export const EMPTY_OBJECT_V: usize = memory.data<u32>([TAG_OBJECT, 0, 0, 0]);

export function tagOf(v: usize): u32 {
  return load<u32>(v + V_TAG);
}
export function lenOf(v: usize): u32 {
  return load<u32>(v + V_A);
}
export function ptrOf(v: usize): usize {
  return <usize>load<u32>(v + V_B);
}

export function newInt(x: i64): usize {
  const v = alloc(VALUE_SIZE);
  store<u32>(v + V_TAG, TAG_INT);
  store<i64>(v + V_B, x);
  return v;
}

/** An integer outside i64, kept as its canonical decimal text ("-"?digits, no leading zeros);
 *  integers inside i64 are always TAG_INT. Arithmetic: arith.ts. */
export function newBignum(ptr: usize, len: usize): usize {
  return newSpan(TAG_BIGNUM, ptr, len);
}

/** A float; `srcLen > 0` means its value is the exact decimal of its source text, which is also
 *  what is dumped, byte for byte; `srcLen == 0` (computed) means the f64, dumped in shortest
 *  round-trip form. */
export function newFloat(x: f64, srcPtr: usize, srcLen: usize): usize {
  const v = alloc(FLOAT_SIZE);
  store<u32>(v + V_TAG, TAG_FLOAT);
  store<u32>(v + V_A, <u32>srcLen);
  store<f64>(v + V_B, x);
  store<u32>(v + V_FLOAT_SRC, <u32>srcPtr);
  return v;
}

export function newString(ptr: usize, len: usize): usize {
  return newSpan(TAG_STRING, ptr, len);
}

function newSpan(tag: u32, ptr: usize, len: usize): usize {
  const v = alloc(VALUE_SIZE);
  store<u32>(v + V_TAG, tag);
  store<u32>(v + V_A, <u32>len);
  store<u32>(v + V_B, <u32>ptr);
  return v;
}

/** An empty array (TAG_ARRAY/TAG_SET) or object with room for `cap` entries. */
export function newCollection(tag: u32, cap: u32): usize {
  const slot: usize = tag == TAG_OBJECT ? 8 : 4;
  const v = alloc(VALUE_SIZE);
  store<u32>(v + V_TAG, tag);
  store<u32>(v + V_A, 0);
  store<u32>(v + V_B, <u32>alloc(slot * <usize>cap));
  store<u32>(v + V_C, cap);
  return v;
}

/** Makes room for one more entry, moving the slots when full (the old ones are abandoned). */
function reserve(v: usize, slot: usize): usize {
  const len = load<u32>(v + V_A);
  const cap = load<u32>(v + V_C);
  let slots = <usize>load<u32>(v + V_B);
  if (len == cap) {
    const ncap: u32 = cap < 4 ? 4 : cap << 1;
    const moved = alloc(slot * <usize>ncap);
    memory.copy(moved, slots, slot * <usize>len);
    store<u32>(v + V_B, <u32>moved);
    store<u32>(v + V_C, ncap);
    slots = moved;
  }
  store<u32>(v + V_A, len + 1);
  return slots + slot * <usize>len;
}

/** Opens a gap at entry `index` (shifting the tail) and returns its address. */
export function insertSlot(v: usize, slot: usize, index: u32): usize {
  const len = load<u32>(v + V_A);
  const at = reserve(v, slot);
  if (index >= len) return at;
  const p = <usize>load<u32>(v + V_B) + slot * <usize>index;
  memory.copy(p + slot, p, slot * <usize>(len - index));
  return p;
}

/** Appends to an array. Sets are built with setAdd (collections.ts), never with this. */
export function arrayPush(arr: usize, elem: usize): void {
  store<u32>(reserve(arr, 4), <u32>elem);
}

/** Puts a pair in canonical key order; a key already present takes the new value (last wins). */
export function objectPush(obj: usize, key: usize, val: usize): void {
  objectInsert(obj, key, val);
}

export function arrayAt(arr: usize, i: u32): usize {
  return <usize>load<u32>(ptrOf(arr) + ((<usize>i) << 2));
}
export function objectKeyAt(obj: usize, i: u32): usize {
  return <usize>load<u32>(ptrOf(obj) + ((<usize>i) << 3));
}
export function objectValueAt(obj: usize, i: u32): usize {
  return <usize>load<u32>(ptrOf(obj) + ((<usize>i) << 3) + 4);
}

export { TAG_ARRAY, TAG_BIGNUM, TAG_BOOL, TAG_FLOAT, TAG_INT, TAG_NULL, TAG_OBJECT, TAG_STRING };
