// Native glob.match and sprintf (builtins.ts dispatches). Contract as builtins.ts: a result
// value, or `bad()` (abort `regoc:unsupported`) for anything not reproduced exactly — non-ASCII
// text in glob, sprintf verbs other than %s %d %v %% or flags, values other than strings,
// integers and booleans in sprintf.
import { fail, unsupportedBuiltin as bad } from './abort';
import { alloc } from './alloc';
import { TAG_ARRAY, TAG_BIGNUM, TAG_BOOL, TAG_INT, TAG_NULL, TAG_STRING, V_A, V_B } from './layout';
import {
  arrayAt,
  FALSE_V,
  lenOf as len,
  newString,
  ptrOf as ptr,
  tagOf as tag,
  TRUE_V,
} from './value';

// ---- glob.match(pattern, delimiters, text) ----------------------------------------------------

const DELIMS: usize = memory.data(16);
let delimCount: u32 = 0;

function isDelim(c: u8): bool {
  for (let i: u32 = 0; i < delimCount; i++) if (load<u8>(DELIMS + i) == c) return true;
  return false;
}

function ascii(p: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) if (load<u8>(p + i) >= 0x80) bad();
}

/** glob.match: null delimiters mean none, an empty array means ["."]; single ASCII
 *  characters only. `*` stops at delimiters, `**` does not, `?` one non-delimiter, classes
 *  `[abc]` `[!a-c]`, alternatives `{a,b}`, `\` escapes. */
export function globMatch(pat: usize, delims: usize, text: usize): usize {
  if (tag(pat) != TAG_STRING || tag(text) != TAG_STRING) return bad();
  delimCount = 0;
  if (tag(delims) == TAG_ARRAY) {
    if (len(delims) == 0 || len(delims) > 16) {
      if (len(delims) > 16) return bad();
      store<u8>(DELIMS, 0x2e);
      delimCount = 1;
    }
    for (let i: u32 = 0; i < len(delims); i++) {
      const d = arrayAt(delims, i);
      if (tag(d) != TAG_STRING || len(d) != 1 || load<u8>(ptr(d)) >= 0x80) return bad();
      store<u8>(DELIMS + delimCount++, load<u8>(ptr(d)));
    }
  } else if (tag(delims) != TAG_NULL) return bad();
  ascii(ptr(pat), len(pat));
  ascii(ptr(text), len(text));
  return glob(ptr(pat), len(pat), ptr(text), len(text)) ? TRUE_V : FALSE_V;
}

/** Index just past the bracket/brace group opened at p[i] (depth counted), or bad(). */
function groupEnd(p: usize, n: u32, i: u32, open: u8, close: u8): u32 {
  let depth = 0;
  for (let j = i; j < n; j++) {
    const c = load<u8>(p + j);
    if (c == 0x5c) {
      j++;
      continue;
    }
    if (c == open) depth++;
    else if (c == close && --depth == 0) return j + 1;
  }
  bad();
  return 0;
}

function glob(p: usize, pn: u32, s: usize, sn: u32): bool {
  if (pn == 0) return sn == 0;
  const c = load<u8>(p);
  if (c == 0x2a) {
    const sup = pn > 1 && load<u8>(p + 1) == 0x2a;
    const skip: u32 = sup ? 2 : 1;
    for (let k: u32 = 0; k <= sn; k++) {
      if (glob(p + skip, pn - skip, s + k, sn - k)) return true;
      if (k < sn && !sup && isDelim(load<u8>(s + k))) return false;
    }
    return false;
  }
  if (c == 0x7b) {
    // {a,b}: each alternative followed by the rest of the pattern.
    const end = groupEnd(p, pn, 0, 0x7b, 0x7d);
    let from: u32 = 1;
    let depth = 0;
    for (let j: u32 = 1; j < end; j++) {
      const d = load<u8>(p + j);
      if (d == 0x5c) {
        j++;
        continue;
      }
      if (d == 0x7b || d == 0x5b) depth++;
      else if ((d == 0x7d || d == 0x5d) && depth > 0) depth--;
      else if ((d == 0x2c && depth == 0) || j == end - 1) {
        const alt = j - from;
        const rest = pn - end;
        const q = alloc(<usize>(alt + rest));
        memory.copy(q, p + from, alt);
        memory.copy(q + alt, p + end, rest);
        if (glob(q, alt + rest, s, sn)) return true;
        from = j + 1;
      }
    }
    return false;
  }
  if (sn == 0) return false;
  const ch = load<u8>(s);
  if (c == 0x3f) return !isDelim(ch) && glob(p + 1, pn - 1, s + 1, sn - 1);
  if (c == 0x5b) {
    let j: u32 = 1;
    const neg = pn > 1 && load<u8>(p + 1) == 0x21;
    if (neg) j++;
    let hit = false;
    let closed = false;
    for (; j < pn; j++) {
      const lo = load<u8>(p + j);
      if (lo == 0x5d) {
        closed = true;
        break;
      }
      if (lo == 0x5c || lo == 0x5b) return <bool>bad();
      if (j + 2 < pn && load<u8>(p + j + 1) == 0x2d && load<u8>(p + j + 2) != 0x5d) {
        if (ch >= lo && ch <= load<u8>(p + j + 2)) hit = true;
        j += 2;
      } else if (ch == lo) hit = true;
    }
    if (!closed) return <bool>bad();
    return hit != neg && glob(p + j + 1, pn - j - 1, s + 1, sn - 1);
  }
  if (c == 0x5c) {
    if (pn < 2) return <bool>bad();
    return load<u8>(p + 1) == ch && glob(p + 2, pn - 2, s + 1, sn - 1);
  }
  if (c == 0x7d || c == 0x5d || c == 0x2c) return <bool>bad();
  return c == ch && glob(p + 1, pn - 1, s + 1, sn - 1);
}

// ---- sprintf(format, args) ----------------------------------------------------------------------

const DIGITS: usize = memory.data(24);

/** Go's %x / %X of an int: '-' then the magnitude's hex digits. */
function hexText(x: i64, upper: bool): usize {
  let m: u64 = x < 0 ? <u64>0 - <u64>x : <u64>x;
  let at: usize = 24;
  do {
    const d = <u8>(m & 15);
    store<u8>(DIGITS + --at, d < 10 ? 0x30 + d : (upper ? 0x37 : 0x57) + d);
    m >>= 4;
  } while (m != 0);
  if (x < 0) store<u8>(DIGITS + --at, 0x2d);
  const out = alloc(24 - at);
  memory.copy(out, DIGITS + at, 24 - at);
  return newString(out, <u32>(24 - at));
}

/** Appends v's text for a verb to out (at `at`, capacity checked by the caller's sizing). */
function textOf(v: usize, verb: u8): usize {
  const t = tag(v);
  if (t == TAG_STRING) {
    if (verb != 0x73 && verb != 0x76) bad();
    return v;
  }
  if (t == TAG_BIGNUM) {
    // OPA hands big integers to Go as *big.Int, which prints %s and %v in decimal.
    if (verb == 0x78 || verb == 0x58) bad();
    return v; // canonical decimal text, same layout as a string
  }
  if (t == TAG_INT && (verb == 0x78 || verb == 0x58))
    return hexText(load<i64>(v + V_B), verb == 0x58);
  if (t == TAG_INT) {
    if (verb == 0x73) bad();
    const x = load<i64>(v + V_B);
    let m: u64 = x < 0 ? <u64>0 - <u64>x : <u64>x;
    let at: usize = 24;
    do {
      store<u8>(DIGITS + --at, <u8>(0x30 + <u32>(m % 10)));
      m /= 10;
    } while (m != 0);
    if (x < 0) store<u8>(DIGITS + --at, 0x2d);
    const out = alloc(24 - at);
    memory.copy(out, DIGITS + at, 24 - at);
    return newString(out, <u32>(24 - at));
  }
  // OPA hands non-number, non-string arguments to Go as their Rego text: null is "null".
  if (t == TAG_NULL && (verb == 0x73 || verb == 0x76)) return newString(NULL_TEXT, 4);
  if (t == TAG_BOOL && verb == 0x76) {
    return load<u32>(v + V_A) != 0 ? newString(TRUE_TEXT, 4) : newString(FALSE_TEXT, 5);
  }
  return bad();
}
const NULL_TEXT: usize = memory.data<u8>([0x6e, 0x75, 0x6c, 0x6c]);
const TRUE_TEXT: usize = memory.data<u8>([0x74, 0x72, 0x75, 0x65]);
const FALSE_TEXT: usize = memory.data<u8>([0x66, 0x61, 0x6c, 0x73, 0x65]);

/** The directive at `i` (a '%'): an optional '0' flag and a width of up to 2 digits, then the
 *  verb; returns the verb's index and sets specZero / specWidth. */
let specZero = false;
let specWidth: u32 = 0;
function spec(p: usize, i: u32, n: u32): u32 {
  let j = i + 1;
  specZero = j < n && load<u8>(p + j) == 0x30;
  if (specZero) j++;
  specWidth = 0;
  for (let k = 0; k < 2 && j < n; k++) {
    const c = load<u8>(p + j);
    if (c < 0x30 || c > 0x39) break;
    specWidth = specWidth * 10 + (c - 0x30);
    j++;
  }
  return j;
}

/** Verbs: %s %d %v, %x %X (integers); '0' and a width only on %d %x %X of integers >= 0. */
export function sprintf(fmt: usize, args: usize): usize {
  if (tag(fmt) != TAG_STRING || tag(args) != TAG_ARRAY) return bad();
  // Two passes: the texts, then the bytes.
  const n = len(fmt);
  const p = ptr(fmt);
  const parts = alloc((<usize>len(args)) << 2);
  let used: u32 = 0;
  let total: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c != 0x25) {
      total++;
      continue;
    }
    const at = spec(p, i, n);
    if (at >= n) return bad();
    const verb = load<u8>(p + at);
    const plain = at == i + 1;
    i = at;
    if (verb == 0x25) {
      if (!plain) return bad();
      total++;
      continue;
    }
    const integral = verb == 0x64 || verb == 0x78 || verb == 0x58;
    if ((verb != 0x73 && verb != 0x76 && !integral) || used >= len(args)) return bad();
    const v = arrayAt(args, used);
    let s = textOf(v, verb);
    if (!plain) {
      if (!integral || tag(v) != TAG_INT || load<i64>(v + V_B) < 0) return bad();
      s = padded(s, specWidth, specZero);
    }
    store<u32>(parts + ((<usize>used) << 2), <u32>s);
    used++;
    total += len(s);
  }
  if (used != len(args)) return bad();
  const out = alloc(<usize>total);
  let at: usize = out;
  used = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 0x25) {
      i = spec(p, i, n);
      if (load<u8>(p + i) != 0x25) {
        const s = <usize>load<u32>(parts + ((<usize>used) << 2));
        used++;
        memory.copy(at, ptr(s), len(s));
        at += len(s);
        continue;
      }
    }
    store<u8>(at++, c);
  }
  return newString(out, total);
}

/** s right-justified to `width` with '0' or ' ' (Go's padding of a non-negative integer). */
function padded(s: usize, width: u32, zero: bool): usize {
  if (len(s) >= width) return s;
  const out = alloc(<usize>width);
  const pad = width - len(s);
  memory.fill(out, zero ? 0x30 : 0x20, pad);
  memory.copy(out + pad, ptr(s), len(s));
  return newString(out, width);
}
