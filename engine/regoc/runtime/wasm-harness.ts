// Test helper: a runtime instance driven directly (no SDK), with JSON in and out. `testRuntime`
// compiles the test build (runtime sources + assembly/testing.ts) once per source state and
// caches it in the OS temp folder, keyed by the sources' hash and the asc version.
import asc from 'assemblyscript/asc';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRuntime, RUNTIME_DIR } from './build.ts';
import { noHostBuiltins, wasmApi, type WasmMemory } from './wasm-api.ts';

export type Fn = (...args: never[]) => unknown;

export interface Harness {
  memory: WasmMemory;
  exports: Record<string, Fn>;
  /** Parses JSON text in wasm; 0 when the parser refuses it. */
  parse(text: string | Uint8Array): number;
  /** opa_json_dump of a value, as a JS string. */
  dump(value: number): string;
  /** Runs `f` and then resets the heap to where it was. */
  scoped<T>(f: () => T): T;
  call(name: string, ...args: (number | bigint)[]): number;
}

export function instantiate(wasm: Uint8Array): Harness {
  const memory = new wasmApi.Memory({ initial: 4 });
  const cString = (addr: number): string => {
    const bytes = new Uint8Array(memory.buffer);
    let end = addr;
    while (bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(addr, end));
  };
  const inst = new wasmApi.Instance(new wasmApi.Module(wasm), {
    env: {
      ...noHostBuiltins(),
      memory,
      opa_abort: (addr: number) => {
        throw new Error(cString(addr));
      },
    },
  });
  const exports = inst.exports as Record<string, Fn>;
  const call = (name: string, ...args: (number | bigint)[]): number => {
    const f = exports[name] as unknown as ((...a: (number | bigint)[]) => number) | undefined;
    if (!f) throw new Error(`no export ${name}`);
    return f(...args);
  };
  return {
    memory,
    exports,
    call,
    parse(text) {
      const raw = typeof text === 'string' ? new TextEncoder().encode(text) : text;
      const addr = call('opa_malloc', raw.length);
      new Uint8Array(memory.buffer).set(raw, addr);
      return call('opa_json_parse', addr, raw.length);
    },
    dump(value) {
      return cString(call('opa_json_dump', value));
    },
    scoped(f) {
      const start = call('opa_heap_ptr_get');
      try {
        return f();
      } finally {
        call('opa_heap_ptr_set', start);
      }
    },
  };
}

function sourcesKey(): string {
  const dir = path.join(RUNTIME_DIR, 'assembly');
  const hash = createHash('sha256').update(asc.version);
  for (const name of readdirSync(dir).sort())
    hash.update(name).update(readFileSync(path.join(dir, name)));
  return hash.digest('hex').slice(0, 16);
}

/** The test build's bytes (compiled on first use for the current sources). */
export async function testRuntimeWasm(): Promise<Uint8Array> {
  const file = path.join(os.tmpdir(), `regoc-test-runtime-${sourcesKey()}.wasm`);
  if (existsSync(file)) return new Uint8Array(readFileSync(file));
  const { wasm } = await buildRuntime({ test: true });
  // Parallel test files may build at once: publish atomically.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, wasm);
  renameSync(tmp, file);
  return wasm;
}
