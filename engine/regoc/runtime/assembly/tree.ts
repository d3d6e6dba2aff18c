// Rule trees: the objects that ref-head rules (`p[q].r := v`, `p[q] contains x`) and documents
// over packages of rules are assembled into. A tree object has three kinds of entries:
// internal nodes (objects created here, one per path segment that rules share), set leaves
// (sets that partial-set rules fill, member by member) and value leaves (a rule's value, never
// entered). Which node is which is recorded in a per-evaluation list of marked addresses (the
// value layout has no spare bit). Conflicts are OPA's: two different values at one key, a value
// where a node or set is, or a path that goes into a value leaf: `eval_conflict_error`. Base
// data is merged into a document last, objects into internal nodes; base data where a rule's
// value or set is stops as unsupported (what OPA answers there is not reproduced).
import { alloc } from './alloc';
import { fail } from './abort';
import { objectGet, objectInsert, setAdd } from './collections';
import { valuesEqual } from './compare';
import { TAG_OBJECT, TAG_SET, V_A } from './layout';
import { arrayAt, newCollection, objectKeyAt, objectValueAt } from './value';

/** TREE modes (plan-format.ts). */
export const TREE_VALUE: u32 = 0;
export const TREE_MEMBER: u32 = 1;
export const TREE_SET: u32 = 2;
export const TREE_MERGE: u32 = 3;
export const TREE_BASE: u32 = 4;

const NODE: u32 = 1;
const SET_LEAF: u32 = 2;

const CONFLICT = 'regoc:eval_conflict_error: object keys must be unique';
const BASE_MIX = 'regoc:unsupported: rules and base data at one path';
const SHARED = 'regoc:unsupported: a rule value taken from inside a rule tree';

let marks: usize = 0;
let markLen: u32 = 0;
let markCap: u32 = 0;

/** Forgets every mark (the heap they lived in is reset with each evaluation). */
export function treeReset(): void {
  marks = 0;
  markLen = 0;
  markCap = 0;
}

function mark(v: usize, kind: u32): void {
  const last = markLen > 0 ? <usize>(load<u32>(marks + ((<usize>(markLen - 1)) << 2)) & ~7) : 0;
  if (v <= last) fail('regoc:internal: tree marks out of order');
  if (markLen == markCap) {
    const cap: u32 = markCap < 16 ? 16 : markCap << 1;
    const m = alloc((<usize>cap) << 2);
    if (markLen > 0) memory.copy(m, marks, (<usize>markLen) << 2);
    marks = m;
    markCap = cap;
  }
  store<u32>(marks + ((<usize>markLen) << 2), (<u32>v) | kind);
  markLen++;
}

/** Values are 8-aligned, so the kind sits in the low bits. Marked values are allocated in
 *  order (a bump heap), so the list is sorted by address: binary search. Only objects and sets
 *  are ever marked. */
function markOf(v: usize): u32 {
  const tag = load<u32>(v);
  if (tag != TAG_OBJECT && tag != TAG_SET) return 0;
  let lo: u32 = 0;
  let hi: u32 = markLen;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const w = load<u32>(marks + ((<usize>mid) << 2));
    const at = <usize>(w & ~7);
    if (at == v) return w & 7;
    if (at < v) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

function fresh(tag: u32, kind: u32): usize {
  const v = newCollection(tag, 4);
  mark(v, kind);
  return v;
}

/** The internal node under `node` at `key`, created when absent. */
export function treeChild(node: usize, key: usize): usize {
  const c = objectGet(node, key);
  if (c == 0) {
    const n = fresh(TAG_OBJECT, NODE);
    objectInsert(node, key, n);
    return n;
  }
  if (markOf(c) != NODE) fail(CONFLICT);
  return c;
}

/** Puts `src` at `key` of internal node `node` as the mode says. */
export function treeLeaf(mode: u32, node: usize, key: usize, src: usize): void {
  const old = objectGet(node, key);
  const m = old == 0 ? 0 : markOf(old);
  if (mode == TREE_VALUE) {
    // A part of another tree as a value: its nodes would be entered and shared; not reproduced.
    if (markOf(src) != 0) fail(SHARED);
    if (old == 0) objectInsert(node, key, src);
    else if (m != 0 || !valuesEqual(old, src)) fail(CONFLICT);
  } else if (mode == TREE_MERGE) {
    let t = old;
    if (t == 0) {
      t = fresh(TAG_OBJECT, NODE);
      objectInsert(node, key, t);
    } else if (m != NODE) fail(CONFLICT);
    treeMerge(t, src);
  } else {
    let s = old;
    if (s == 0) {
      s = fresh(TAG_SET, SET_LEAF);
      objectInsert(node, key, s);
    } else if (m != SET_LEAF) fail(CONFLICT);
    if (mode == TREE_MEMBER) setAdd(s, src);
    else {
      const n = load<u32>(src + V_A);
      for (let i: u32 = 0; i < n; i++) setAdd(s, arrayAt(src, i));
    }
  }
}

/** Merges the entries of object `src` (its top counts as an internal node; nested nodes and set
 *  leaves keep their marks) into internal node `dst`. */
export function treeMerge(dst: usize, src: usize): void {
  if (load<u32>(src) != TAG_OBJECT) fail(CONFLICT);
  const n = load<u32>(src + V_A);
  for (let i: u32 = 0; i < n; i++) {
    const v = objectValueAt(src, i);
    const m = markOf(v);
    treeLeaf(
      m == NODE ? TREE_MERGE : m == SET_LEAF ? TREE_SET : TREE_VALUE,
      dst,
      objectKeyAt(src, i),
      v,
    );
  }
}

/** Copies the entries of the base document `doc` (0: undefined) into `dst`, the document the
 *  rules were put into, merging objects into internal nodes; a key that holds a rule's value or
 *  set, or a document that is not an object, stops as unsupported. */
export function treeBase(dst: usize, doc: usize): void {
  if (doc == 0) return;
  if (load<u32>(doc) != TAG_OBJECT) fail(BASE_MIX);
  const n = load<u32>(doc + V_A);
  for (let i: u32 = 0; i < n; i++) {
    const k = objectKeyAt(doc, i);
    const v = objectValueAt(doc, i);
    const old = objectGet(dst, k);
    if (old == 0) objectInsert(dst, k, v);
    else if (markOf(old) == NODE) treeBase(old, v);
    else fail(BASE_MIX);
  }
}
