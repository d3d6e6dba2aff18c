// The exact-result path of the loader: the SDK's ABI 1.2 evaluation (input written at the
// data heap pointer, opa_eval, the result's JSON text read back), with the text parsed by
// exact-json.ts instead of JSON.parse. The loader takes it only when the SDK's result holds an
// integer beyond 2^53, which JSON.parse may have rounded; evaluation is deterministic, so the
// second run gives the same result, exactly.
//
// Contract: `policy` is an SDK LoadedPolicy of ABI 1.2 or later (the loader checks the ABI
// before using it); the fields read here are the SDK's own (opa.js, LoadedPolicy).
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { parseJsonExact } from './exact-json.ts';

interface SdkPolicyFields {
  mem: { buffer: ArrayBuffer; grow(pages: number): number };
  wasmInstance: { exports: unknown };
  dataAddr: number;
  dataHeapPtr: number;
}

const PAGE = 65536;

export function evaluateExact(policy: LoadedPolicy, input: unknown, entrypoint: number): unknown {
  const p = policy as unknown as SdkPolicyFields;
  const exports = p.wasmInstance.exports as unknown as {
    opa_eval(r: number, e: number, d: number, i: number, n: number, h: number, f: number): number;
  };
  let inputAddr = 0;
  let inputLen = 0;
  if (input !== undefined) {
    // As the SDK: an ArrayBuffer is JSON text already; anything else is stringified.
    const bytes =
      input instanceof ArrayBuffer
        ? new Uint8Array(input)
        : new TextEncoder().encode(JSON.stringify(input));
    inputAddr = p.dataHeapPtr;
    inputLen = bytes.byteLength;
    const over = inputAddr + inputLen - p.mem.buffer.byteLength;
    if (over > 0) p.mem.grow(Math.ceil(over / PAGE));
    new Uint8Array(p.mem.buffer).set(bytes, inputAddr);
  }
  const at = exports.opa_eval(
    0,
    entrypoint,
    p.dataAddr,
    inputAddr,
    inputLen,
    p.dataHeapPtr + inputLen,
    0,
  );
  const mem = new Uint8Array(p.mem.buffer);
  let end = at;
  while (end < mem.length && mem[end] !== 0) end++;
  return parseJsonExact(new TextDecoder().decode(mem.subarray(at, end)));
}
