// Test-only exports, compiled into the separate test build (build.ts, `buildRuntime({ test:
// true })`) next to index.ts; runtime.wasm never contains them. Each wraps one runtime function
// so tests can drive it on values made with opa_json_parse and read back with opa_json_dump.
import { intAdd, intFromI64, intMul, intNeg, intSub, intToI64 } from './arith';
import { objectGet, setAdd, setContains } from './collections';
import { compareValues, hashValue, valuesEqual } from './compare';
import { TAG_FLOAT, TAG_SET, V_A, V_B } from './layout';
import { newCollection, newFloat } from './value';

const I64_OUT: usize = memory.data(8);

export function test_compare(a: usize, b: usize): i32 {
  return compareValues(a, b);
}
export function test_equal(a: usize, b: usize): i32 {
  return valuesEqual(a, b) ? 1 : 0;
}
export function test_hash(v: usize): u32 {
  return hashValue(v);
}

/** A set of the elements of array `arr`. */
export function test_set_of(arr: usize): usize {
  const n = load<u32>(arr + V_A);
  const p = <usize>load<u32>(arr + V_B);
  const set = newCollection(TAG_SET, n);
  for (let i: usize = 0; i < <usize>n; i++) setAdd(set, <usize>load<u32>(p + (i << 2)));
  return set;
}
export function test_set_contains(set: usize, v: usize): i32 {
  return setContains(set, v) ? 1 : 0;
}
export function test_object_get(obj: usize, key: usize): usize {
  return objectGet(obj, key);
}

export function test_int_add(a: usize, b: usize): usize {
  return intAdd(a, b);
}
export function test_int_sub(a: usize, b: usize): usize {
  return intSub(a, b);
}
export function test_int_mul(a: usize, b: usize): usize {
  return intMul(a, b);
}
export function test_int_neg(a: usize): usize {
  return intNeg(a);
}
/** 1 when v fits i64 (then test_i64_out() holds it). */
export function test_int_to_i64(v: usize): i32 {
  return intToI64(v, I64_OUT) ? 1 : 0;
}
export function test_i64_out(): i64 {
  return load<i64>(I64_OUT);
}
export function test_int_from_i64(x: i64): usize {
  return intFromI64(x);
}

/** A computed float (no source text): dumped by the shortest round-trip formatter. */
export function test_float(x: f64): usize {
  return newFloat(x, 0, 0);
}
/** The f64 of a float value (the correctly rounded parse of its text); NaN for other tags. */
export function test_float_f64(v: usize): f64 {
  return load<u32>(v) == TAG_FLOAT ? load<f64>(v + V_B) : NaN;
}
