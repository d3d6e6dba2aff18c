// Host imports. AssemblyScript names the import module after this file, so every function
// declared here is imported from `env`, the namespace the OPA SDK fills. Besides `env.memory`
// (--importMemory) the module imports the abort and the host-builtin channel: the SDK maps `id`
// to a name through builtins(), dumps each argument with opa_json_dump, calls the JS function
// and loads its result with opa_malloc + opa_json_parse (0 when the function returned
// undefined). The context argument is unused by the SDK; the runtime passes 0.

/** The SDK throws the NUL-terminated ASCII string at `addr` as a plain JS string. */
export declare function opa_abort(addr: usize): void;

export declare function opa_builtin0(id: i32, ctx: usize): usize;
export declare function opa_builtin1(id: i32, ctx: usize, a: usize): usize;
export declare function opa_builtin2(id: i32, ctx: usize, a: usize, b: usize): usize;
export declare function opa_builtin3(id: i32, ctx: usize, a: usize, b: usize, c: usize): usize;
export declare function opa_builtin4(
  id: i32,
  ctx: usize,
  a: usize,
  b: usize,
  c: usize,
  d: usize,
): usize;
