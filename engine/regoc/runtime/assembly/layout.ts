// Shared memory-layout constants. These numbers are a contract with the TypeScript backend
// (engine/regoc/backend/plan-format.ts), which lays out constants at build time in exactly this
// form; change both sides together and bump PLAN_VERSION.

// ---- plan header (u32 words at PLAN_BASE) ----
export const PLAN_MAGIC: u32 = 0x434f4752; // "RGOC" little-endian
export const PLAN_VERSION: u32 = 4;
export const H_MAGIC: usize = 0;
export const H_VERSION: usize = 4;
export const H_SIZE: usize = 8;
export const H_ENTRYPOINTS_VALUE: usize = 12;
export const H_BUILTINS_VALUE: usize = 16;
export const H_ENTRY_COUNT: usize = 20;
export const H_ENTRY_TABLE: usize = 24;
export const H_BUILTIN_COUNT: usize = 28;
export const H_BUILTIN_TABLE: usize = 32;
export const H_RULE_COUNT: usize = 56;
/** Bit 0: strict builtin errors (builtin-error.ts). */
export const H_FLAGS: usize = 60;

// ---- host builtins: CALL ids >= HOST_BUILTIN_BASE (host.ts) ----
export const HOST_BUILTIN_BASE: u32 = 1024;
export const HOST_RESULT_TEXT: u32 = 1;

// ---- opcodes: word = op | (lengthInWords << 8) ----
export const OP_HALT: u32 = 0x00;
export const OP_RESULT_CONST: u32 = 0x01;
export const OP_INPUT: u32 = 0x02;
export const OP_DATA: u32 = 0x03;
export const OP_ASSIGN: u32 = 0x04;
export const OP_DOT: u32 = 0x05;
export const OP_SCAN: u32 = 0x06;
export const OP_COMPARE: u32 = 0x07;
export const OP_TRUTHY: u32 = 0x08;
export const OP_ARITH: u32 = 0x09;
export const OP_RULE: u32 = 0x0a;
export const OP_NOT: u32 = 0x0b;
export const OP_YIELD: u32 = 0x0c;
export const OP_SOLUTION: u32 = 0x0d;
export const OP_CALL: u32 = 0x0e;
export const OP_MAKE: u32 = 0x0f;
export const OP_EACH: u32 = 0x10;
export const OP_INSERT: u32 = 0x11;
export const OP_CALLF: u32 = 0x12;
export const OP_WITH: u32 = 0x13;
export const OP_WITHEND: u32 = 0x14;
export const OP_TREE: u32 = 0x18;

// ---- function headers (u32 words): index, kind, registers, body count, body addrs… ----
export const FN_COMPLETE: u32 = 0;
export const FN_SET: u32 = 1;
export const FN_QUERY: u32 = 2;
export const FN_FUNCTION: u32 = 3;
export const FN_OBJECT: u32 = 4;

// ---- value tags; every value starts with a u32 tag ----
export const TAG_NULL: u32 = 1;
export const TAG_BOOL: u32 = 2; // +4 u32 0|1
export const TAG_INT: u32 = 3; // +8 i64
export const TAG_BIGNUM: u32 = 4; // +4 len, +8 ptr: canonical decimal text (sign, digits)
export const TAG_FLOAT: u32 = 5; // +4 srcLen, +8 f64, +16 srcPtr (24 bytes)
export const TAG_STRING: u32 = 6; // +4 len, +8 ptr (UTF-8)
export const TAG_ARRAY: u32 = 7; // +4 len, +8 ptr -> u32 value addrs, +12 cap
export const TAG_OBJECT: u32 = 8; // +4 len, +8 ptr -> (u32 key, u32 value) pairs sorted by key, +12 cap
export const TAG_SET: u32 = 9; // as array; elements sorted, no duplicates (collections.ts)

export const V_TAG: usize = 0;
export const V_A: usize = 4;
export const V_B: usize = 8;
export const V_C: usize = 12;
export const V_FLOAT_SRC: usize = 16;
export const VALUE_SIZE: usize = 16;
export const FLOAT_SIZE: usize = 24;
