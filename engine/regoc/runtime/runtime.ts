// The committed runtime build, as the backend and tests consume it. Throws when runtime.wasm
// and runtime.meta.json do not belong together (a rebuild that was not completed).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RuntimeMeta } from './meta.ts';

export interface Runtime {
  wasm: Uint8Array;
  meta: RuntimeMeta;
}

let cached: Runtime | undefined;

export function loadRuntime(): Runtime {
  if (cached) return cached;
  const wasm = new Uint8Array(readFileSync(new URL('./runtime.wasm', import.meta.url)));
  const meta = JSON.parse(
    readFileSync(new URL('./runtime.meta.json', import.meta.url), 'utf8'),
  ) as RuntimeMeta;
  const sha = createHash('sha256').update(wasm).digest('hex');
  if (sha !== meta.wasmSha256) {
    throw new Error(
      'runtime.wasm does not match runtime.meta.json; run `npx tsx engine/regoc/runtime/build.ts`',
    );
  }
  cached = { wasm, meta };
  return cached;
}
