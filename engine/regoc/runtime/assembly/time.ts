// Native time builtins in UTC (builtins.ts dispatches). Contract as builtins.ts: a result, or
// `bad()` (abort `regoc:unsupported`) for what is not reproduced exactly — time zones other
// than "" / "UTC", negative integers beyond i64, parse errors (OPA reports them). Timestamps and
// results beyond i64 are OPA's errors (builtin-error.ts), reproduced.
// Civil dates use the proleptic Gregorian calendar (days since 1970-01-01, floor division).
import { fail, unsupportedBuiltin as bad } from './abort';
import { evalError } from './builtin-error';
import { TAG_ARRAY, TAG_BIGNUM, TAG_INT, TAG_STRING, V_A, V_B } from './layout';
import { arrayAt, arrayPush, newCollection, newInt, newString } from './value';

const NS_PER_DAY: i64 = 86400000000000;
const NS_PER_SEC: i64 = 1000000000;

/** The ns of an int or [int, ""|"UTC"]. */
function nsOf(v: usize): i64 {
  let t = v;
  if (load<u32>(v) == TAG_ARRAY) {
    if (load<u32>(v + V_A) != 2) bad();
    t = arrayAt(v, 0);
    const tz = arrayAt(v, 1);
    if (load<u32>(tz) != TAG_STRING) bad();
    const n = load<u32>(tz + V_A);
    const p = <usize>load<u32>(tz + V_B);
    if (
      n != 0 &&
      !(n == 3 && load<u8>(p) == 0x55 && load<u8>(p + 1) == 0x54 && load<u8>(p + 2) == 0x43)
    )
      bad();
  }
  if (load<u32>(t) != TAG_INT) bad();
  return load<i64>(t + V_B);
}

const TOO_BIG = 'timestamp too big';
const OUT_OF_RANGE = 'time outside of valid range';

function floorDiv(a: i64, b: i64): i64 {
  const q = a / b;
  return a % b != 0 && a < 0 != b < 0 ? q - 1 : q;
}

// Civil date <-> day number (the well-known era-based algorithm).
let cy: i64 = 0;
let cm: i64 = 0;
let cd: i64 = 0;
function civil(days: i64): void {
  const z = days + 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  cd = doy - (153 * mp + 2) / 5 + 1;
  cm = mp < 10 ? mp + 3 : mp - 9;
  cy = yoe + era * 400 + (cm <= 2 ? 1 : 0);
}
function daysFrom(y0: i64, m: i64, d: i64): i64 {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = (153 * mp + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

function triple(a: i64, b: i64, c: i64): usize {
  const out = newCollection(TAG_ARRAY, 3);
  arrayPush(out, newInt(a));
  arrayPush(out, newInt(b));
  arrayPush(out, newInt(c));
  return out;
}

const WEEKDAYS: usize = memory.data<u8>([
  0x53,
  0x75,
  0x6e,
  0x64,
  0x61,
  0x79,
  0,
  0,
  0,
  0, // Sunday
  0x4d,
  0x6f,
  0x6e,
  0x64,
  0x61,
  0x79,
  0,
  0,
  0,
  0, // Monday
  0x54,
  0x75,
  0x65,
  0x73,
  0x64,
  0x61,
  0x79,
  0,
  0,
  0, // Tuesday
  0x57,
  0x65,
  0x64,
  0x6e,
  0x65,
  0x73,
  0x64,
  0x61,
  0x79,
  0, // Wednesday
  0x54,
  0x68,
  0x75,
  0x72,
  0x73,
  0x64,
  0x61,
  0x79,
  0,
  0, // Thursday
  0x46,
  0x72,
  0x69,
  0x64,
  0x61,
  0x79,
  0,
  0,
  0,
  0, // Friday
  0x53,
  0x61,
  0x74,
  0x75,
  0x72,
  0x64,
  0x61,
  0x79,
  0,
  0, // Saturday
]);

/** 50 date, 51 clock, 52 weekday, 53 add_date, 54 parse_rfc3339_ns. */
export function timeBuiltin(id: u32, a: usize, b: usize, c: usize, d: usize): usize {
  if (id == 54) return parseRFC3339(a);
  // OPA's error for a timestamp beyond int64 (a positive big integer) in date/clock/weekday.
  if (id <= 52 && load<u32>(a) == TAG_BIGNUM && load<u8>(<usize>load<u32>(a + V_B)) != 0x2d) {
    return evalError(id == 50 ? 'time.date' : id == 51 ? 'time.clock' : 'time.weekday', TOO_BIG);
  }
  const ns = nsOf(a);
  const days = floorDiv(ns, NS_PER_DAY);
  const tod = ns - days * NS_PER_DAY;
  if (id == 50) {
    civil(days);
    return triple(cy, cm, cd);
  }
  if (id == 51) {
    const s = tod / NS_PER_SEC;
    return triple(s / 3600, (s / 60) % 60, s % 60);
  }
  if (id == 52) {
    const w = <usize>(((days % 7) + 11) % 7); // 1970-01-01 was a Thursday (4)
    let n: u32 = 0;
    while (n < 10 && load<u8>(WEEKDAYS + w * 10 + n) != 0) n++;
    return newString(WEEKDAYS + w * 10, n);
  }
  if (id == 53) {
    if (load<u32>(b) != TAG_INT || load<u32>(c) != TAG_INT || load<u32>(d) != TAG_INT) bad();
    civil(days);
    const dy = load<i64>(b + V_B);
    const dm = load<i64>(c + V_B);
    const dd = load<i64>(d + V_B);
    if (abs(dy) > 1000000 || abs(dm) > 12000000 || abs(dd) > 400000000) bad();
    const m0 = cm - 1 + dm;
    const y = cy + dy + floorDiv(m0, 12);
    const m = m0 - floorDiv(m0, 12) * 12 + 1;
    const nd = daysFrom(y, m, 1) + cd - 1 + dd;
    // Results beyond int64 nanoseconds are OPA's range error.
    if (nd > 106751 || nd < -106752) return evalError('time.add_date', OUT_OF_RANGE);
    const ns2 = nd * NS_PER_DAY + tod;
    if ((nd > 0 && ns2 < 0) || (nd < 0 && ns2 > 0)) {
      return evalError('time.add_date', OUT_OF_RANGE);
    }
    return newInt(ns2);
  }
  return bad();
}

function abs(x: i64): i64 {
  return x < 0 ? -x : x;
}

let pp: usize = 0;
let pend: usize = 0;
function digits(n: u32): i64 {
  if (pp + n > pend) bad();
  let v: i64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const ch = load<u8>(pp++);
    if (ch < 0x30 || ch > 0x39) bad();
    v = v * 10 + <i64>(ch - 0x30);
  }
  return v;
}
function expect(ch: u8): void {
  if (pp >= pend || load<u8>(pp) != ch) bad();
  pp++;
}

/** YYYY-MM-DDTHH:MM:SS[.1-9 digits](Z|±HH:MM), strictly; anything else is unsupported. */
function parseRFC3339(s: usize): usize {
  if (load<u32>(s) != TAG_STRING) return bad();
  pp = <usize>load<u32>(s + V_B);
  pend = pp + <usize>load<u32>(s + V_A);
  const y = digits(4);
  expect(0x2d);
  const mo = digits(2);
  expect(0x2d);
  const d = digits(2);
  expect(0x54);
  const h = digits(2);
  expect(0x3a);
  const mi = digits(2);
  expect(0x3a);
  const se = digits(2);
  let frac: i64 = 0;
  if (pp < pend && load<u8>(pp) == 0x2e) {
    pp++;
    let n: u32 = 0;
    while (pp + n < pend && load<u8>(pp + n) >= 0x30 && load<u8>(pp + n) <= 0x39) n++;
    if (n == 0 || n > 9) bad();
    frac = digits(n);
    for (let i = n; i < 9; i++) frac *= 10;
  }
  let off: i64 = 0;
  if (pp < pend && load<u8>(pp) == 0x5a) pp++;
  else {
    if (pp >= pend) bad();
    const sign = load<u8>(pp++);
    if (sign != 0x2b && sign != 0x2d) bad();
    const oh = digits(2);
    expect(0x3a);
    const om = digits(2);
    if (oh > 23 || om > 59) bad();
    off = (oh * 3600 + om * 60) * (sign == 0x2d ? -1 : 1);
  }
  if (pp != pend) bad();
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) bad();
  const next = mo == 12 ? daysFrom(y + 1, 1, 1) : daysFrom(y, mo + 1, 1);
  const days = daysFrom(y, mo, d);
  if (days >= next) bad();
  // Seconds since the epoch fit easily; the nanoseconds must fit i64 (about ±292 years), the
  // range OPA accepts, to the nanosecond: i64 min is -9223372037 s + 145224192 ns.
  const secs = days * 86400 + h * 3600 + mi * 60 + se - off;
  const name = 'time.parse_rfc3339_ns';
  if (secs > 9223372036 || secs < -9223372037) return evalError(name, OUT_OF_RANGE);
  if (secs == -9223372037) {
    if (frac < 145224192) return evalError(name, OUT_OF_RANGE);
    return newInt(i64.MIN_VALUE + (frac - 145224192));
  }
  const ns = secs * NS_PER_SEC + frac;
  if (secs > 0 && ns < 0) return evalError(name, OUT_OF_RANGE);
  return newInt(ns);
}
