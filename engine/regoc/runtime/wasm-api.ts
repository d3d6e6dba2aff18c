// The WebAssembly JS API, typed: the project's lib settings (ES2023, @types/node 20) declare
// only the type namespace, not the runtime values, so they are reached through globalThis.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** env.opa_builtin0..4 for instantiating the runtime outside the SDK: any call throws. */
export function noHostBuiltins(): Record<string, () => never> {
  const stub = (): never => {
    throw new Error('host builtin called outside the OPA SDK');
  };
  return Object.fromEntries([0, 1, 2, 3, 4].map((n) => [`opa_builtin${n}`, stub]));
}
