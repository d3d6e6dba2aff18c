// The plan: the compiled policy as data, spliced into runtime.wasm as one active data segment
// at `planBase` (the runtime's __heap_base rounded up to 16, recorded in runtime.meta.json).
// The runtime mirrors these numbers in runtime/assembly/layout.ts; change both together and
// bump PLAN_VERSION (the runtime refuses other versions with an opa_abort).
//
// All integers are little-endian; every address is absolute (the plan is laid out for planBase).
//
// Header, 64 bytes of u32 at planBase:
//   0 magic 'RGOC'        16 builtins()     value addr  32 builtin table addr  48 code end
//   4 format version      20 entrypoint count            36 constant pool start 52 location table (0 = none)
//   8 plan size in bytes  24 entrypoint table addr       40 constant pool end   56 rule count
//  12 entrypoints() value 28 builtin count               44 code start          60 flags
// Flags: bit 0 strict builtin errors (a native builtin error OPA raises stops the evaluation
//   with `regoc:<code>: …`; without it the call is undefined, as in OPA).
//
// Entrypoint table: one u32 per entrypoint id, the address of its code. Ids are dense, 0..n-1,
//   in the order given to the encoder; entrypoints() maps "pkg/rule" names to them.
// Builtin table: per host builtin, in id order from HOST_BUILTIN_BASE, (u32 name string value
//   addr, u32 `arity | flags << 8`); builtins() maps names to ids (HOST_BUILTIN_BASE + index),
//   as the SDK expects. Flag HOST_RESULT_TEXT: the host returns the result as a string of JSON
//   text, which the runtime parses (exact integers beyond 2^53, e.g. regoc.time.now_ns).
// Constant pool: finished values (runtime layout, see VALUE_* below) at 8-aligned addresses,
//   children before parents. Object keys sorted by UTF-8 bytes (OPA's string order).
// Rule count (header word 56): the number of rule functions; the runtime caches each rule's
//   value by its index for the length of one evaluation.
// Functions (in the code area, u32 words): index, kind (0 complete rule, 1 partial set rule,
//   2 query), register count, body count, default value (a constant address, 0 = none; the
//   value of a complete rule no body yields), then one word per body: its absolute address,
//   `| 1` when the body is an `else` branch (it runs only when the bodies since the last
//   non-else body yielded nothing). The entrypoint table points at query functions; RULE
//   operands point at rule functions.
// Code: u32 words. Each instruction is `opcode | (lengthInWords << 8)` (24-bit length) then its
//   operands. A block is a run of instructions ending with HALT. An operand word is either a
//   constant (an 8-aligned constant-pool address, so even) or a register (`reg << 1 | 1`).
//   Destinations are always registers. A failing instruction ends its block for the current
//   solution. Opcodes (version 4):
//     0x00 HALT                             end of a block
//     0x01 RESULT_CONST const               add {"result": const} to the result set (queries)
//     0x02 INPUT   dst                      dst := input; fails when there is no input
//     0x03 DATA    dst                      dst := the data document set by the host ({} if none)
//     0x04 ASSIGN  dst src                  dst := src
//     0x05 DOT     dst src key              dst := src[key]; fails when undefined
//     0x06 SCAN    src key value n, block   runs the n-word block (HALT included) per element of
//                                           an array (index, item), object (key, value) or set
//                                           (member, member); must be the last in its block
//     0x07 COMPARE cmp a b                  cmp 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge (Rego order)
//     0x08 TRUTHY  src                      fails when src is false
//     0x09 ARITH   fn dst a b               fn 0 plus, 1 minus, 2 mul on integers (exact); fails
//                                           on non-numbers; aborts `regoc:unsupported` on floats
//     0x0a RULE    dst fnAddr               dst := the rule's value (evaluated once); fails when
//                                           undefined (a set rule is always defined)
//     0x0b NOT     n, block                 fails when the n-word block reaches its end
//     0x0c YIELD   value                    complete rule: its value (a different second value
//                                           aborts with regoc:eval_conflict_error); set: a member
//     0x0d SOLUTION n (keyConst value)*n    add the object {key: value…} to the result set
//     0x0e CALL id dst n arg*n              dst := native builtin `id` (NATIVE_BUILTINS) of the
//                                           n (<= 4) args; fails when undefined; aborts
//                                           `regoc:unsupported` outside the native subset.
//                                           Ids >= HOST_BUILTIN_BASE call the host builtin
//                                           through env.opa_builtin<n> (builtin table)
//     0x0f MAKE kind dst n item*n           dst := a new array (kind 0), set (1) or object (2,
//                                           n key/value operand pairs, a repeated key aborts)
//     0x10 EACH    n, block                 runs the n-word block; always succeeds
//     0x11 INSERT  coll a b                 adds a to the array/set in coll, or key a value b to
//                                           its object (a conflicting key aborts); succeeds
//     0x12 CALLF   dst fnAddr n arg*n       dst := the function (kind 3) at fnAddr called with
//                                           the n args in its registers 0..n-1; fails when
//                                           undefined; a second different output aborts
//     0x13 WITH count (mode value m key*m)*count n, block
//                                           runs the n-word block with, in order, input (mode
//                                           0) or base data (1) replaced at the path of m
//                                           constant string keys (objects created along it), or
//                                           the rule whose function address is the one key
//                                           (mode 2, m = 1) given the value; a fresh rule cache
//                                           inside; all restored after; last in its block
//     0x14 WITHEND n, block                 runs the n-word block (the rest of the query after
//                                           a `with` expression) in the state outside the
//                                           innermost WITH; last in its block
//     0x18 TREE mode dst src n key*n        puts src into the rule tree in dst (word 0: the running
//                                           kind-4 rule's object) at the path of the n keys,
//                                           creating internal nodes: mode 0 value leaf, 1 member
//                                           of a set leaf, 2 all members of set src, 3 merge of
//                                           tree src, 4 base: src is `data`, the keys its path,
//                                           whose object's entries become base leaves of dst.
//                                           Conflicts abort regoc:eval_conflict_error (tree.ts)
//   Function kinds: 3 function (CALLF), 4 partial object rule: `YIELD value key` inserts
//   key: value into the rule's object (a conflicting key aborts `regoc:unsupported`).
//   Unknown opcodes and versions abort with `regoc:internal: …`. An entrypoint whose code adds
//   no row is undefined (`[]`).

export const PLAN_MAGIC = 0x434f4752; // "RGOC"
export const PLAN_VERSION = 4;
export const PLAN_HEADER_SIZE = 64;

export const Header = {
  magic: 0,
  version: 4,
  size: 8,
  entrypointsValue: 12,
  builtinsValue: 16,
  entryCount: 20,
  entryTable: 24,
  builtinCount: 28,
  builtinTable: 32,
  constStart: 36,
  constEnd: 40,
  codeStart: 44,
  codeEnd: 48,
  locationTable: 52,
  ruleCount: 56,
  flags: 60,
} as const;

export const Op = {
  HALT: 0x00,
  RESULT_CONST: 0x01,
  INPUT: 0x02,
  DATA: 0x03,
  ASSIGN: 0x04,
  DOT: 0x05,
  SCAN: 0x06,
  COMPARE: 0x07,
  TRUTHY: 0x08,
  ARITH: 0x09,
  RULE: 0x0a,
  NOT: 0x0b,
  YIELD: 0x0c,
  SOLUTION: 0x0d,
  CALL: 0x0e,
  MAKE: 0x0f,
  EACH: 0x10,
  INSERT: 0x11,
  CALLF: 0x12,
  WITH: 0x13,
  WITHEND: 0x14,
  TREE: 0x18,
} as const;

/** Native builtin ids (runtime/assembly/builtins.ts) by OPA name; `internal.member` is `in`,
 *  `div`/`rem` are the operators `/` and `%`. */
export const NATIVE_BUILTINS: Readonly<Record<string, number>> = {
  count: 0,
  sum: 1,
  max: 2,
  min: 3,
  sort: 4,
  concat: 5,
  contains: 6,
  startswith: 7,
  endswith: 8,
  lower: 9,
  upper: 10,
  'object.get': 11,
  'object.keys': 12,
  'array.concat': 13,
  union: 14,
  intersection: 15,
  is_number: 16,
  is_string: 17,
  is_boolean: 18,
  is_array: 19,
  is_set: 20,
  is_object: 21,
  is_null: 22,
  div: 24,
  rem: 25,
  'internal.member': 26,
  trim_prefix: 27,
  trim_suffix: 28,
  split: 29,
  product: 30,
  abs: 31,
  'strings.any_prefix_match': 32,
  'strings.any_suffix_match': 33,
  indexof: 34,
  indexof_n: 35,
  substring: 36,
  trim: 37,
  trim_left: 38,
  trim_right: 39,
  trim_space: 40,
  replace: 41,
  format_int: 42,
  ceil: 43,
  floor: 44,
  round: 45,
  'glob.match': 46,
  sprintf: 47,
  'time.date': 50,
  'time.clock': 51,
  'time.weekday': 52,
  'time.add_date': 53,
  'time.parse_rfc3339_ns': 54,
  'internal.or': 55,
  'internal.and': 56,
  // 96: far from the ids above, so native builtins added after 57 elsewhere do not collide.
  'numbers.range': 96,
};

export const TreeCode = { value: 0, member: 1, set: 2, merge: 3, base: 4 } as const;
export type TreeMode = keyof typeof TreeCode;

/** CALL ids from here up are host builtins (index into the builtin table); native ids stay
 *  below it. */
export const HOST_BUILTIN_BASE = 1024;
/** Builtin-table flag: the host returns the result as a string of JSON text. */
export const HOST_RESULT_TEXT = 1;

/** A host builtin the plan imports: its SDK name, arity, and whether it answers JSON text. */
export interface PlanHostBuiltin {
  readonly name: string;
  readonly arity: number;
  readonly resultText?: boolean;
}

export const MakeCode = { array: 0, set: 1, object: 2 } as const;

export const FnKind = { complete: 0, set: 1, query: 2, function: 3, object: 4 } as const;
export const CompareCode = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 } as const;
export const ArithCode = { plus: 0, minus: 1, mul: 2 } as const;

/** Value tags and sizes of the runtime's value representation (runtime/assembly/layout.ts). */
export const Tag = {
  NULL: 1,
  BOOL: 2, // +4 u32 0|1
  INT: 3, // +8 i64
  BIGNUM: 4, // +4 len, +8 ptr: canonical decimal text
  FLOAT: 5, // +4 source length, +8 f64, +16 source ptr (24 bytes)
  STRING: 6, // +4 len, +8 ptr (UTF-8)
  ARRAY: 7, // +4 len, +8 ptr -> u32 element addrs, +12 cap
  OBJECT: 8, // +4 len, +8 ptr -> (u32 key, u32 value) pairs, +12 cap
  SET: 9, // as ARRAY
} as const;
export const VALUE_SIZE = 16;
export const FLOAT_SIZE = 24;

/** A constant as the backend receives it: JSON plus bigint for exact integers. */
export type ConstValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | readonly ConstValue[]
  | { readonly [key: string]: ConstValue };

/** A register or an inline constant. */
export type Operand = { readonly reg: number } | { readonly const: ConstValue };

export type Instr =
  | { readonly op: 'result_const'; readonly value: ConstValue }
  | { readonly op: 'input' | 'data'; readonly dst: number }
  | { readonly op: 'assign'; readonly dst: number; readonly src: Operand }
  | { readonly op: 'dot'; readonly dst: number; readonly src: Operand; readonly key: Operand }
  | {
      readonly op: 'scan';
      readonly src: Operand;
      readonly key: number;
      readonly value: number;
      readonly body: readonly Instr[];
    }
  | {
      readonly op: 'compare';
      readonly cmp: keyof typeof CompareCode;
      readonly a: Operand;
      readonly b: Operand;
    }
  | { readonly op: 'truthy'; readonly src: Operand }
  | {
      readonly op: 'arith';
      readonly fn: keyof typeof ArithCode;
      readonly dst: number;
      readonly a: Operand;
      readonly b: Operand;
    }
  /** `rule` indexes Plan.rules. */
  | { readonly op: 'rule'; readonly dst: number; readonly rule: number }
  | { readonly op: 'not'; readonly body: readonly Instr[] }
  | { readonly op: 'yield'; readonly value: Operand; readonly key?: Operand }
  | {
      readonly op: 'call';
      readonly id: number;
      readonly dst: number;
      readonly args: readonly Operand[];
    }
  /** `object` items are key, value, key, value… */
  | {
      readonly op: 'make';
      readonly kind: keyof typeof MakeCode;
      readonly dst: number;
      readonly items: readonly Operand[];
    }
  | { readonly op: 'each'; readonly body: readonly Instr[] }
  /** `rule` indexes Plan.rules (a function). */
  | {
      readonly op: 'callfn';
      readonly dst: number;
      readonly rule: number;
      readonly args: readonly Operand[];
    }
  | { readonly op: 'insert'; readonly coll: number; readonly a: Operand; readonly b: Operand }
  | { readonly op: 'with'; readonly mods: readonly PlanWithMod[]; readonly body: readonly Instr[] }
  | { readonly op: 'withend'; readonly body: readonly Instr[] }
  /** `dst` null: the running object rule's value. */
  | {
      readonly op: 'tree';
      readonly mode: TreeMode;
      readonly dst: number | null;
      readonly src: Operand;
      readonly keys: readonly Operand[];
    }
  | { readonly op: 'solution'; readonly vars: readonly (readonly [string, Operand])[] };

/** A `with` modifier: input / base data replaced at a path, or rule `rule` (an index into
 *  Plan.rules) given the value. */
export type PlanWithMod =
  | { readonly kind: 'input' | 'data'; readonly path: readonly string[]; readonly value: Operand }
  | { readonly kind: 'rule'; readonly rule: number; readonly value: Operand };

export interface PlanEntrypoint {
  /** "pkg/rule", the name `evaluate(input, name)` resolves. */
  name: string;
  code: readonly Instr[];
  /** Registers the code uses (default 0). */
  registers?: number;
}

export interface PlanRule {
  kind: 'complete' | 'set' | 'function' | 'object';
  registers: number;
  bodies: readonly (readonly Instr[])[];
  /** Per body: an `else` branch of the body before it. */
  elseOf?: readonly boolean[];
  /** A complete rule's `default` value. */
  defaultValue?: { readonly const: ConstValue };
}

export interface Plan {
  entrypoints: readonly PlanEntrypoint[];
  /** Rule functions, referenced by index from `rule` instructions. */
  rules?: readonly PlanRule[];
  /** Host builtins; `call` id HOST_BUILTIN_BASE + i calls builtins[i]. */
  builtins?: readonly PlanHostBuiltin[];
  /** Header flag bit 0: builtin errors stop the evaluation (OPA's strict builtin errors). */
  strictBuiltinErrors?: boolean;
}
