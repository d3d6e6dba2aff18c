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
//   8 plan size in bytes  24 entrypoint table addr       40 constant pool end   56, 60 reserved (0)
//  12 entrypoints() value 28 builtin count               44 code start
//
// Entrypoint table: one u32 per entrypoint id, the address of its code. Ids are dense, 0..n-1,
//   in the order given to the encoder; entrypoints() maps "pkg/rule" names to them.
// Builtin table: per host builtin id, (u32 name string value addr, u32 arity); builtins() maps
//   names to ids, as the SDK expects. Empty in stage 1 (no CALL instruction yet).
// Constant pool: finished values (runtime layout, see VALUE_* below) at 8-aligned addresses,
//   children before parents. Object keys sorted by UTF-8 bytes (OPA's string order).
// Code: u32 words. Each instruction is `opcode | (lengthInWords << 8)` then its operands, so a
//   reader can skip what it does not know (disassembly, later opcodes). Stage 1 opcodes:
//     HALT                      end of the entrypoint; the result set is what RESULT_* added
//     RESULT_CONST  constAddr   add {"result": <constant>} to the result set
//   An entrypoint whose code adds no result is undefined (`[]`).

export const PLAN_MAGIC = 0x434f4752; // "RGOC"
export const PLAN_VERSION = 1;
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
} as const;

export const Op = { HALT: 0x00, RESULT_CONST: 0x01 } as const;

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

export type Instr = { op: 'result_const'; value: ConstValue };

export interface PlanEntrypoint {
  /** "pkg/rule", the name `evaluate(input, name)` resolves. */
  name: string;
  code: readonly Instr[];
}

export interface Plan {
  entrypoints: readonly PlanEntrypoint[];
}
