// Bump allocator over the imported memory. Nothing is ever freed one by one: the SDK resets
// the heap pointer (opa_heap_ptr_set, or the heap_ptr argument of opa_eval) before each
// evaluation, which frees everything the previous evaluation allocated.
//
// Memory map: [0, __heap_base) runtime statics | [PLAN_BASE, planEnd) plan segment |
// [heapStart, ...) data.json, input, evaluation heap.
import { fail } from './abort';
import { H_SIZE, PLAN_MAGIC } from './layout';

/** Where the spliced plan segment starts: __heap_base rounded up to 16. */
export const PLAN_BASE: usize = (__heap_base + 15) & ~(<usize>15);

/** True when a plan segment sits at PLAN_BASE (a bare runtime.wasm has none). */
export function hasPlan(): bool {
  return load<u32>(PLAN_BASE) == PLAN_MAGIC;
}

function initialHeap(): usize {
  let end = PLAN_BASE;
  if (hasPlan()) end += <usize>load<u32>(PLAN_BASE + H_SIZE);
  return (end + 7) & ~(<usize>7);
}

// Runs in the start function, after the data segments are in memory.
let heapPtr: usize = initialHeap();

export function heapGet(): usize {
  return heapPtr;
}

export function heapSet(p: usize): void {
  heapPtr = p;
}

/** Returns `size` bytes, 8-aligned, growing memory when needed. Never returns 0. */
export function alloc(size: usize): usize {
  const p = heapPtr;
  const next = (p + size + 7) & ~(<usize>7);
  if (next < p) fail('regoc:internal: allocation too large');
  const cap = (<usize>memory.size()) << 16;
  if (next > cap) {
    const pages = <i32>((next - cap + 0xffff) >> 16);
    if (memory.grow(pages) < 0) fail('regoc:internal: out of memory');
  }
  heapPtr = next;
  return p;
}
