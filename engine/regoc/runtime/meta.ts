// runtime.meta.json: what a built runtime.wasm is, recorded next to it and committed.
export interface RuntimeMeta {
  /** Bump when the ABI exports or the plan format the runtime reads change. */
  abi: '1.2';
  planFormat: number;
  /** Where the backend splices the plan segment (the runtime's regoc_plan_base()). */
  planBase: number;
  asc: string;
  /** The exact asc options, space-separated. */
  ascFlags: string;
  wasmBytes: number;
  wasmSha256: string;
  /** sha256 over the sorted assembly/*.ts sources (name, NUL, bytes, NUL). */
  sourcesSha256: string;
}
