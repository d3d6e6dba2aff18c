// Values -> JSON text. Contract: returns the address of NUL-terminated UTF-8 on the heap.
// Two passes (size, then write) so the output is one exact allocation. Sets are written as
// arrays (the ABI's rule). Objects and sets are stored canonical (collections.ts), so writing
// them in stored order gives keys in canonical order and sets sorted. Floats from source text
// are written as that text; computed floats in shortest round-trip form (float-format.ts).
// Strings: `"` `\` and control characters are escaped, other bytes are copied as they are.
import { alloc } from './alloc';
import { fail } from './abort';
import {
  TAG_ARRAY,
  TAG_BIGNUM,
  TAG_BOOL,
  TAG_FLOAT,
  TAG_INT,
  TAG_NULL,
  TAG_OBJECT,
  TAG_STRING,
  arrayAt,
  lenOf,
  newString,
  objectKeyAt,
  objectValueAt,
  ptrOf,
  tagOf,
} from './value';
import { objectGet } from './collections';
import { TAG_SET, V_B, V_FLOAT_SRC } from './layout';
import { floatTextPtr, formatFloat } from './float-format';

const HEX: usize = memory.data<u8>([
  0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66,
]);

export function dumpJSON(v: usize): usize {
  const n = sizeOf(v);
  const out = alloc(n + 1);
  const stop = write(v, out);
  store<u8>(stop, 0);
  return out;
}

/** An object key as JSON carries it: strings as they are, other keys as their JSON text
 *  (what OPA prints for non-string keys). */
function keyText(k: usize): usize {
  if (tagOf(k) == TAG_STRING) return k;
  const n = sizeOf(k);
  const out = alloc(n);
  write(k, out);
  return newString(out, n);
}

function sizeOf(v: usize): usize {
  const tag = tagOf(v);
  switch (tag) {
    case TAG_NULL:
      return 4;
    case TAG_BOOL:
      return lenOf(v) != 0 ? 4 : 5;
    case TAG_INT:
      return intSize(load<i64>(v + V_B));
    case TAG_BIGNUM:
      return <usize>lenOf(v);
    case TAG_FLOAT:
      return lenOf(v) != 0 ? <usize>lenOf(v) : formatFloat(load<f64>(v + V_B));
    case TAG_STRING:
      return stringSize(ptrOf(v), <usize>lenOf(v));
    case TAG_ARRAY:
    case TAG_SET: {
      const n = lenOf(v);
      let s: usize = n > 0 ? 1 + <usize>n : 2;
      for (let i: u32 = 0; i < n; i++) s += sizeOf(arrayAt(v, i));
      return s;
    }
    case TAG_OBJECT: {
      const n = lenOf(v);
      let s: usize = n > 0 ? 1 + <usize>n * 2 : 2;
      for (let i: u32 = 0; i < n; i++) {
        const k = keyText(objectKeyAt(v, i));
        // A non-string key whose text equals a string key of the same object: no JSON form.
        if (k != objectKeyAt(v, i) && objectGet(v, k) != 0)
          fail('regoc:unsupported: object keys that collide as JSON text');
        s += sizeOf(k) + sizeOf(objectValueAt(v, i));
      }
      return s;
    }
  }
  fail('regoc:internal: bad value tag');
  return 0;
}

function write(v: usize, o: usize): usize {
  const tag = tagOf(v);
  switch (tag) {
    case TAG_NULL:
      store<u32>(o, 0x6c6c756e);
      return o + 4;
    case TAG_BOOL:
      if (lenOf(v) != 0) {
        store<u32>(o, 0x65757274);
        return o + 4;
      }
      store<u32>(o, 0x736c6166);
      store<u8>(o + 4, 0x65);
      return o + 5;
    case TAG_INT:
      return writeInt(load<i64>(v + V_B), o);
    case TAG_BIGNUM:
      memory.copy(o, ptrOf(v), <usize>lenOf(v));
      return o + <usize>lenOf(v);
    case TAG_FLOAT: {
      let n = <usize>lenOf(v);
      if (n != 0) {
        memory.copy(o, <usize>load<u32>(v + V_FLOAT_SRC), n);
        return o + n;
      }
      n = formatFloat(load<f64>(v + V_B));
      memory.copy(o, floatTextPtr(), n);
      return o + n;
    }
    case TAG_STRING:
      return writeString(ptrOf(v), <usize>lenOf(v), o);
    case TAG_ARRAY:
    case TAG_SET: {
      const n = lenOf(v);
      store<u8>(o++, 0x5b);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) store<u8>(o++, 0x2c);
        o = write(arrayAt(v, i), o);
      }
      store<u8>(o++, 0x5d);
      return o;
    }
    case TAG_OBJECT: {
      const n = lenOf(v);
      store<u8>(o++, 0x7b);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) store<u8>(o++, 0x2c);
        o = write(keyText(objectKeyAt(v, i)), o);
        store<u8>(o++, 0x3a);
        o = write(objectValueAt(v, i), o);
      }
      store<u8>(o++, 0x7d);
      return o;
    }
  }
  fail('regoc:internal: bad value tag');
  return o;
}

function magnitude(x: i64): u64 {
  return x < 0 ? <u64>0 - <u64>x : <u64>x;
}

function intSize(x: i64): usize {
  let n: usize = x < 0 ? 2 : 1;
  for (let m = magnitude(x); m >= 10; m /= 10) n++;
  return n;
}

function writeInt(x: i64, o: usize): usize {
  const n = intSize(x);
  if (x < 0) store<u8>(o, 0x2d);
  let m = magnitude(x);
  let p = o + n;
  do {
    store<u8>(--p, <u8>(0x30 + <u32>(m % 10)));
    m /= 10;
  } while (m != 0);
  return o + n;
}

/** Bytes needed for a quoted, escaped string. */
function stringSize(p: usize, len: usize): usize {
  let n: usize = len + 2;
  for (let i: usize = 0; i < len; i++) {
    const c = load<u8>(p + i);
    if (c == 0x22 || c == 0x5c || c == 0x08 || c == 0x0c || c == 0x0a || c == 0x0d || c == 0x09)
      n += 1;
    else if (c < 0x20) n += 5;
  }
  return n;
}

function writeString(p: usize, len: usize, o: usize): usize {
  store<u8>(o++, 0x22);
  for (let i: usize = 0; i < len; i++) {
    const c = load<u8>(p + i);
    let e: u8 = 0;
    if (c == 0x22 || c == 0x5c) e = c;
    else if (c == 0x0a) e = 0x6e;
    else if (c == 0x0d) e = 0x72;
    else if (c == 0x09) e = 0x74;
    else if (c == 0x08) e = 0x62;
    else if (c == 0x0c) e = 0x66;
    if (e != 0) {
      store<u8>(o, 0x5c);
      store<u8>(o + 1, e);
      o += 2;
    } else if (c < 0x20) {
      store<u32>(o, 0x3030755c); // \u00
      store<u8>(o + 4, load<u8>(HEX + ((<usize>c) >> 4)));
      store<u8>(o + 5, load<u8>(HEX + ((<usize>c) & 15)));
      o += 6;
    } else {
      store<u8>(o++, c);
    }
  }
  store<u8>(o++, 0x22);
  return o;
}
