// splicePlan / readMemoryImport on the real committed runtime.wasm.
import { describe, expect, it } from 'vitest';
import { loadRuntime } from '../runtime/runtime.ts';
import { noHostBuiltins, wasmApi } from '../runtime/wasm-api.ts';
import { encodePlan } from './encode.ts';
import { readMemoryImport, splicePlan } from './splice.ts';

const { wasm: runtime, meta } = loadRuntime();
const plan = (value: string) =>
  encodePlan(
    { entrypoints: [{ name: 't/p', code: [{ op: 'result_const', value }] }] },
    meta.planBase,
  );

function dataSegmentCount(wasm: Uint8Array): number {
  // Walk sections to the data section (id 11); its first LEB is the segment count.
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos++] as number;
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = wasm[pos++] as number;
      size |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    if (id === 11) return wasm[pos] as number;
    pos += size;
  }
  return 0;
}

describe('readMemoryImport', () => {
  it('finds env.memory and its minimum in the runtime', () => {
    expect(readMemoryImport(runtime)).toEqual({
      module: 'env',
      name: 'memory',
      minPages: 1,
      maxPages: undefined,
    });
  });

  it('rejects bytes that are not wasm', () => {
    expect(() => readMemoryImport(new Uint8Array([1, 2, 3]))).toThrow(/not a WebAssembly/);
  });
});

describe('splicePlan', () => {
  it('appends one active segment and keeps the module valid', () => {
    const out = splicePlan(runtime, plan('x'), meta.planBase);
    expect(dataSegmentCount(out)).toBe(dataSegmentCount(runtime) + 1);
    expect(() => new wasmApi.Module(out)).not.toThrow();
    expect(readMemoryImport(out)?.minPages).toBe(1);
  });

  it('replaces the plan segment when spliced again (idempotent)', () => {
    const once = splicePlan(runtime, plan('second'), meta.planBase);
    const twice = splicePlan(
      splicePlan(runtime, plan('first'), meta.planBase),
      plan('second'),
      meta.planBase,
    );
    expect(Buffer.from(twice).equals(Buffer.from(once))).toBe(true);
  });

  it('raises the memory import minimum when the plan needs more pages', () => {
    const big = plan('x'.repeat(200_000));
    const out = splicePlan(runtime, big, meta.planBase);
    const need = Math.ceil((meta.planBase + big.length) / 65536);
    expect(need).toBeGreaterThan(1);
    expect(readMemoryImport(out)?.minPages).toBe(need);
    const memory = new wasmApi.Memory({ initial: need });
    const inst = new wasmApi.Instance(new wasmApi.Module(out), {
      env: { ...noHostBuiltins(), memory, opa_abort: () => undefined },
    });
    // The runtime's heap starts after the plan.
    expect((inst.exports.opa_heap_ptr_get as () => number)()).toBeGreaterThanOrEqual(
      meta.planBase + big.length,
    );
  });

  it('is deterministic', () => {
    expect(splicePlan(runtime, plan('x'), meta.planBase)).toEqual(
      splicePlan(runtime, plan('x'), meta.planBase),
    );
  });
});
