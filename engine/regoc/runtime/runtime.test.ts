// The committed runtime.wasm must be exactly what the pinned asc builds from assembly/*.ts.
// SLOW (REPRODUCIBILITY): this rebuilds the runtime with asc, about 4-15 s on a shared host.
import { describe, expect, it } from 'vitest';
import { buildRuntime, metaJson } from './build.ts';
import { loadRuntime } from './runtime.ts';

describe('runtime.wasm (REPRODUCIBILITY: rebuilds with asc)', () => {
  it('rebuilds byte for byte from the sources, with the same meta', async () => {
    const committed = loadRuntime();
    const rebuilt = await buildRuntime();
    expect(rebuilt.meta.sourcesSha256, 'assembly/*.ts changed: run build.ts').toBe(
      committed.meta.sourcesSha256,
    );
    expect(Buffer.from(rebuilt.wasm).equals(Buffer.from(committed.wasm))).toBe(true);
    expect(metaJson(rebuilt.meta)).toBe(metaJson(committed.meta));
  }, 60_000);

  it('records the asc version and flags it was built with', () => {
    const { meta, wasm } = loadRuntime();
    expect(meta.asc).toBe('0.28.20');
    expect(meta.ascFlags).toContain('--use abort=');
    expect(meta.wasmBytes).toBe(wasm.length);
    expect(meta.planBase % 16).toBe(0);
  });
});
