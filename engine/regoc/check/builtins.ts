// The builtin signature table (a stub: arity and implementation kind only; argument types and
// error texts come with stage 5). `native` runs in the wasm runtime, `host` through the
// registry's customBuiltins, `unsupported` is known to OPA but refused by regoc.
// Arity counts inputs; a call with one argument more uses the last one as the output.

export type BuiltinKind = 'native' | 'host' | 'unsupported';

export interface BuiltinSig {
  readonly arity: number;
  readonly kind: BuiltinKind;
}

const n = (arity: number): BuiltinSig => ({ arity, kind: 'native' });
const h = (arity: number): BuiltinSig => ({ arity, kind: 'host' });

const TABLE: Readonly<Record<string, BuiltinSig>> = {
  // aggregates
  count: n(1),
  sum: n(1),
  product: n(1),
  max: n(1),
  min: n(1),
  sort: n(1),
  // numbers
  abs: n(1),
  ceil: n(1),
  floor: n(1),
  round: n(1),
  'numbers.range': n(2),
  to_number: n(1),
  format_int: n(2),
  // strings
  startswith: n(2),
  endswith: n(2),
  contains: n(2),
  lower: n(1),
  upper: n(1),
  split: n(2),
  concat: n(2),
  sprintf: n(2),
  trim: n(2),
  trim_left: n(2),
  trim_right: n(2),
  trim_prefix: n(2),
  trim_suffix: n(2),
  trim_space: n(1),
  replace: n(3),
  indexof: n(2),
  indexof_n: n(2),
  substring: n(3),
  'strings.any_prefix_match': n(2),
  'strings.any_suffix_match': n(2),
  // regex, glob, net
  'regex.match': h(2),
  re_match: h(2),
  'glob.match': n(3),
  'net.cidr_contains': h(2),
  'base64.decode': h(1),
  // time
  'time.now_ns': h(0),
  'time.parse_rfc3339_ns': n(1),
  'time.parse_duration_ns': n(1),
  'time.add_date': n(4),
  'time.date': n(1),
  'time.clock': n(1),
  'time.weekday': n(1),
  'time.format': n(1),
  // objects, arrays, sets
  'object.get': n(3),
  'object.keys': n(1),
  'array.concat': n(2),
  union: n(1),
  intersection: n(1),
  // types
  is_number: n(1),
  is_string: n(1),
  is_boolean: n(1),
  is_array: n(1),
  is_set: n(1),
  is_object: n(1),
  is_null: n(1),
  type_name: n(1),
  // test-only, registered by the conformance runner
  'test.sleep': h(1),
  // known to OPA, refused for now
  print: { arity: 1, kind: 'unsupported' },
  'http.send': { arity: 1, kind: 'unsupported' },
  'opa.runtime': { arity: 0, kind: 'unsupported' },
};

/** The signature of a builtin by its dotted name, or undefined when OPA has no such builtin. */
export function lookupBuiltin(name: string): BuiltinSig | undefined {
  return Object.hasOwn(TABLE, name) ? TABLE[name] : undefined;
}

export const BUILTIN_NAMES: readonly string[] = Object.keys(TABLE).sort();
