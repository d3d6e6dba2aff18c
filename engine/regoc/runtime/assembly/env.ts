// Host imports. AssemblyScript names the import module after this file, so every function
// declared here is imported from `env`, the namespace the OPA SDK fills. The module imports
// nothing else besides `env.memory` (--importMemory); host builtins (opa_builtin0..4) arrive
// with the interpreter's CALL instruction in a later stage.

/** The SDK throws the NUL-terminated ASCII string at `addr` as a plain JS string. */
export declare function opa_abort(addr: usize): void;
