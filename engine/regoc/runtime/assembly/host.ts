// Host builtins: CALL ids from HOST_BUILTIN_BASE up go to the SDK's builtin channel
// (env.opa_builtin0..4). The plan's builtin table (header word 32, count at word 28) holds per
// host builtin, in id order, the name's value address and `arity | flags << 8`. Flag
// HOST_RESULT_TEXT: the host returns the result as a string of JSON text, which the runtime
// parses (how exact integers beyond 2^53 cross the JSON channel). A result of 0 is undefined.
import { fail } from './abort';
import { PLAN_BASE } from './alloc';
import { opa_builtin0, opa_builtin1, opa_builtin2, opa_builtin3, opa_builtin4 } from './env';
import { parseJSON } from './json-parse';
import {
  H_BUILTIN_COUNT,
  H_BUILTIN_TABLE,
  HOST_BUILTIN_BASE,
  HOST_RESULT_TEXT,
  TAG_STRING,
} from './layout';
import { lenOf, ptrOf, tagOf } from './value';

export function callHost(id: u32, n: usize, a: usize, b: usize, c: usize, d: usize): usize {
  const i = <usize>(id - HOST_BUILTIN_BASE);
  if (i >= <usize>load<u32>(PLAN_BASE + H_BUILTIN_COUNT)) {
    fail('regoc:internal: invalid host builtin id');
  }
  const entry = <usize>load<u32>(PLAN_BASE + H_BUILTIN_TABLE) + (i << 3);
  const flags = load<u32>(entry + 4) >> 8;
  const hid = <i32>id;
  let r: usize = 0;
  if (n == 0) r = opa_builtin0(hid, 0);
  else if (n == 1) r = opa_builtin1(hid, 0, a);
  else if (n == 2) r = opa_builtin2(hid, 0, a, b);
  else if (n == 3) r = opa_builtin3(hid, 0, a, b, c);
  else r = opa_builtin4(hid, 0, a, b, c, d);
  if (r == 0 || (flags & HOST_RESULT_TEXT) == 0) return r;
  if (tagOf(r) != TAG_STRING) fail('regoc:internal: host builtin returned no JSON text');
  const v = parseJSON(ptrOf(r), <usize>lenOf(r));
  if (v == 0) fail('regoc:internal: host builtin returned invalid JSON text');
  return v;
}
