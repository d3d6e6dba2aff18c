// The OPA wasm ABI (1.2) as the @open-policy-agent/opa-wasm SDK calls it. Both evaluation paths
// are exported: the fast path `opa_eval` (minor >= 2) and the older context path
// (opa_eval_ctx_* + eval), so the module works whichever the SDK picks.
import { alloc, hasPlan, heapGet, heapSet, PLAN_BASE } from './alloc';
import { fail } from './abort';
import { checkPlan, evalEntrypoint } from './interp';
import { dumpJSON } from './json-dump';
import { parseJSON } from './json-parse';
import { H_BUILTINS_VALUE, H_ENTRYPOINTS_VALUE } from './layout';
import { EMPTY_OBJECT_V } from './value';

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 2;

/** Where the backend splices the plan segment (recorded in runtime.meta.json as planBase). */
export function regoc_plan_base(): usize {
  return PLAN_BASE;
}

/** {builtin name: id}, prebuilt in the plan's constant pool. */
export function builtins(): usize {
  checkPlan();
  return hasPlan() ? <usize>load<u32>(PLAN_BASE + H_BUILTINS_VALUE) : EMPTY_OBJECT_V;
}

/** {"pkg/rule": id}, prebuilt in the plan's constant pool. */
export function entrypoints(): usize {
  checkPlan();
  return hasPlan() ? <usize>load<u32>(PLAN_BASE + H_ENTRYPOINTS_VALUE) : EMPTY_OBJECT_V;
}

export function opa_malloc(size: usize): usize {
  return alloc(size);
}

/** Individual frees are no-ops: the heap is reset per evaluation. */
export function opa_free(_addr: usize): void {}

export function opa_json_parse(addr: usize, len: usize): usize {
  return parseJSON(addr, len);
}

export function opa_json_dump(value: usize): usize {
  return dumpJSON(value);
}

export function opa_heap_ptr_get(): usize {
  return heapGet();
}

export function opa_heap_ptr_set(addr: usize): void {
  heapSet(addr);
}

/**
 * The fast path. The SDK has written the raw input JSON at [input, input + inputLen) and passes
 * `heapPtr` just past it; everything allocated here is released by the next call's reset.
 */
export function opa_eval(
  _reserved: i32,
  entrypoint: i32,
  data: usize,
  input: usize,
  inputLen: usize,
  heapPtr: usize,
  format: i32,
): usize {
  heapSet(heapPtr);
  if (format != 0) fail('regoc:internal: only JSON output (format 0) is supported');
  let inputValue: usize = 0;
  if (inputLen > 0) {
    inputValue = parseJSON(input, inputLen);
    if (inputValue == 0) fail('regoc:input: input is not valid JSON');
  }
  return dumpJSON(evalEntrypoint(entrypoint, inputValue, data));
}

// ---- context path: ctx = { input u32, data u32, entrypoint i32, result u32 } ----

export function opa_eval_ctx_new(): usize {
  const ctx = alloc(16);
  memory.fill(ctx, 0, 16);
  return ctx;
}

export function opa_eval_ctx_set_input(ctx: usize, input: usize): void {
  store<u32>(ctx, <u32>input);
}

export function opa_eval_ctx_set_data(ctx: usize, data: usize): void {
  store<u32>(ctx + 4, <u32>data);
}

export function opa_eval_ctx_set_entrypoint(ctx: usize, entrypoint: i32): void {
  store<i32>(ctx + 8, entrypoint);
}

export function opa_eval_ctx_get_result(ctx: usize): usize {
  return <usize>load<u32>(ctx + 12);
}

function evalCtx(ctx: usize): i32 {
  const result = evalEntrypoint(
    load<i32>(ctx + 8),
    <usize>load<u32>(ctx),
    <usize>load<u32>(ctx + 4),
  );
  store<u32>(ctx + 12, <u32>result);
  return 0;
}

export { evalCtx as eval };
