// Canonical objects and sets. Contract: an object's pairs are kept sorted by key and a set's
// elements sorted, both in compareValues order and without duplicates, so iteration, dumping,
// comparison and hashing are canonical. Lookups are binary searches; an insertion moves the
// tail (fast when entries arrive in order, as most do).
import { compareValues } from './compare';
import { V_A, V_B } from './layout';
import { insertSlot } from './value';

/** Index of `key` in obj (slot 8) or set (slot 4) if present, else -(insertion index) - 1. */
function search(coll: usize, slot: usize, key: usize): i32 {
  let lo: i32 = 0;
  let hi: i32 = <i32>load<u32>(coll + V_A);
  const p = <usize>load<u32>(coll + V_B);
  // Fast path: appending in order.
  if (hi > 0) {
    const c = compareValues(<usize>load<u32>(p + <usize>(hi - 1) * slot), key);
    if (c < 0) return -hi - 1;
    if (c == 0) return hi - 1;
    hi--;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareValues(<usize>load<u32>(p + <usize>mid * slot), key);
    if (c == 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -lo - 1;
}

/** Sets obj[key] = val; an existing equal key keeps its slot and takes the new value. */
export function objectInsert(obj: usize, key: usize, val: usize): void {
  const i = search(obj, 8, key);
  if (i >= 0) {
    store<u32>(<usize>load<u32>(obj + V_B) + ((<usize>i) << 3) + 4, <u32>val);
    return;
  }
  const at = insertSlot(obj, 8, <u32>(-i - 1));
  store<u32>(at, <u32>key);
  store<u32>(at + 4, <u32>val);
}

/** obj[key], or 0 when absent. */
export function objectGet(obj: usize, key: usize): usize {
  const i = search(obj, 8, key);
  return i < 0 ? 0 : <usize>load<u32>(<usize>load<u32>(obj + V_B) + ((<usize>i) << 3) + 4);
}

/** Adds elem to the set unless an equal element is there; returns whether it was added. */
export function setAdd(set: usize, elem: usize): bool {
  const i = search(set, 4, elem);
  if (i >= 0) return false;
  store<u32>(insertSlot(set, 4, <u32>(-i - 1)), <u32>elem);
  return true;
}

export function setContains(set: usize, elem: usize): bool {
  return search(set, 4, elem) >= 0;
}
