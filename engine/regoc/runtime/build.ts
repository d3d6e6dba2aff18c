// Builds runtime.wasm from assembly/*.ts with the exactly pinned AssemblyScript compiler and
// records runtime.meta.json. Deterministic: the same sources and asc give the same bytes (the
// reproducibility test in runtime.test.ts rebuilds and compares).
// Usage: npx tsx engine/regoc/runtime/build.ts [outDir]   (default: this folder)
// A test build (`buildRuntime({ test: true })`) compiles the same sources plus
// assembly/testing.ts, whose test_* exports drive internals from tests; runtime.wasm stays lean.
import asc from 'assemblyscript/asc';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PLAN_VERSION } from '../backend/plan-format.ts';
import type { RuntimeMeta } from './meta.ts';
import { noHostBuiltins, wasmApi } from './wasm-api.ts';

export const RUNTIME_DIR = path.dirname(fileURLToPath(import.meta.url));

/**
 * -O3 for speed; stub runtime (no GC: the runtime manages raw memory itself); the SDK creates
 * and passes `env.memory`; `--use abort=` removes the `env.abort` import (failures go through
 * opa_abort); no assertions, no source map, no debug names.
 */
export const ASC_FLAGS = [
  '-O3',
  '--runtime',
  'stub',
  '--importMemory',
  '--use',
  'abort=',
  '--noAssert',
] as const;

function sourcesSha256(): string {
  const dir = path.join(RUNTIME_DIR, 'assembly');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(path.join(dir, name)))
      .update('\0');
  }
  return hash.digest('hex');
}

function readPlanBase(wasm: Uint8Array): number {
  const mod = new wasmApi.Module(wasm);
  const instance = new wasmApi.Instance(mod, {
    env: {
      ...noHostBuiltins(),
      memory: new wasmApi.Memory({ initial: 1 }),
      opa_abort: () => {
        throw new Error('runtime aborted while reading planBase');
      },
    },
  });
  return (instance.exports.regoc_plan_base as () => number)();
}

/** Compiles the runtime in memory; throws with asc's diagnostics on failure. */
export async function buildRuntime(
  options: { test?: boolean } = {},
): Promise<{ wasm: Uint8Array; meta: RuntimeMeta }> {
  let wasm: Uint8Array | undefined;
  let diagnostics = '';
  const entries = options.test
    ? ['assembly/index.ts', 'assembly/testing.ts']
    : ['assembly/index.ts'];
  const { error } = await asc.main(
    [...entries, ...ASC_FLAGS, '--outFile', 'runtime.wasm', '--baseDir', RUNTIME_DIR],
    {
      stdout: { write: (s: string | Uint8Array) => void (diagnostics += String(s)) },
      stderr: { write: (s: string | Uint8Array) => void (diagnostics += String(s)) },
      writeFile: (name: string, contents: Uint8Array | string) => {
        if (name === 'runtime.wasm' && typeof contents !== 'string') wasm = contents;
      },
    },
  );
  if (error || !wasm)
    throw new Error(`asc failed: ${error?.message ?? 'no output'}\n${diagnostics}`);
  const meta: RuntimeMeta = {
    abi: '1.2',
    planFormat: PLAN_VERSION,
    planBase: readPlanBase(wasm),
    asc: asc.version,
    ascFlags: ASC_FLAGS.join(' '),
    wasmBytes: wasm.length,
    wasmSha256: createHash('sha256').update(wasm).digest('hex'),
    sourcesSha256: sourcesSha256(),
  };
  return { wasm, meta };
}

export function metaJson(meta: RuntimeMeta): string {
  return JSON.stringify(meta, null, 2) + '\n';
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? RUNTIME_DIR);
  const { wasm, meta } = await buildRuntime();
  writeFileSync(path.join(outDir, 'runtime.wasm'), wasm);
  writeFileSync(path.join(outDir, 'runtime.meta.json'), metaJson(meta));
  process.stdout.write(`runtime.wasm: ${meta.wasmBytes} bytes, planBase ${meta.planBase}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
