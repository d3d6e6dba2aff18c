// The runtime's only way to fail. AssemblyScript's own `abort` is compiled out
// (`--use abort=`), so failures are explicit: an ASCII message handed to `opa_abort`, which
// makes the SDK throw it as a string. Message form: `regoc:<code>: <text>`.
import { opa_abort } from './env';

const MSG_CAP: usize = 240;
const MSG_BUF: usize = memory.data(256);

let msgLen: usize = 0;

/** Starts a new message. `s` must be an ASCII string literal (code units > 0x7f become '?'). */
export function msgStart(s: string): void {
  msgLen = 0;
  msgText(s);
}

export function msgText(s: string): void {
  const n = <usize>s.length;
  const src = changetype<usize>(s);
  for (let i: usize = 0; i < n && msgLen < MSG_CAP; i++) {
    const c = load<u16>(src + (i << 1));
    store<u8>(MSG_BUF + msgLen++, c < 0x80 ? <u8>c : 0x3f);
  }
}

export function msgInt(v: i64): void {
  let m: u64 = v < 0 ? <u64>(0 - v) : <u64>v;
  if (v < 0 && msgLen < MSG_CAP) store<u8>(MSG_BUF + msgLen++, 0x2d);
  let digits: usize = 1;
  for (let t = m; t >= 10; t /= 10) digits++;
  if (msgLen + digits > MSG_CAP) return;
  for (let i = digits; i > 0; i--) {
    store<u8>(MSG_BUF + msgLen + i - 1, <u8>(0x30 + <u32>(m % 10)));
    m /= 10;
  }
  msgLen += digits;
}

/** Throws the message built so far through the host. Never returns. */
export function msgThrow(): void {
  store<u8>(MSG_BUF + msgLen, 0);
  opa_abort(MSG_BUF);
  unreachable();
}

/** Shorthand for a fixed message. Never returns. */
export function fail(s: string): void {
  msgStart(s);
  msgThrow();
}

/** A builtin call this runtime does not reproduce exactly: stop as unsupported, never answer. */
export function unsupportedBuiltin(): usize {
  fail('regoc:unsupported: builtin call outside the native subset');
  return 0;
}
