// The loader over the real SDK and real modules (committed runtime + a spliced constant plan).
import type * as opa from '@open-policy-agent/opa-wasm';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ExternalError } from '../errors.ts';
import { linkPlan } from '../regoc/backend/link.ts';
import { loadPolicyBundle, loadPolicyBundleSync } from './loader.ts';

const sdk = createRequire(import.meta.url)('@open-policy-agent/opa-wasm') as typeof opa;

const OBJ = {
  name: 'demo',
  rows: [
    [1, 2],
    [[3], []],
    ['a', { b: [true, null] }],
  ],
  n: -7,
};
const wasm = linkPlan({
  entrypoints: [
    { name: 'test/greeting', code: [{ op: 'result_const', value: 'héllo "wörld" 😀\n' }] },
    { name: 'test/doc', code: [{ op: 'result_const', value: { ...OBJ, big: 9007199254740993n } }] },
    { name: 'test/undefined', code: [] },
  ],
});

describe('loadPolicyBundle over the real SDK', () => {
  it.each([
    ['loadPolicy', () => loadPolicyBundle({ wasm })],
    ['loadPolicySync', async () => loadPolicyBundleSync({ wasm })],
  ])('%s: lists entrypoints and returns constant results', async (_name, load) => {
    const bundle = await load();
    expect(bundle.entrypoints).toEqual({ 'test/greeting': 0, 'test/doc': 1, 'test/undefined': 2 });
    expect(bundle.evaluate({ any: 'input' })).toEqual([{ result: 'héllo "wörld" 😀\n' }]);
    expect(bundle.evaluate(undefined, 'test/greeting')).toEqual([{ result: 'héllo "wörld" 😀\n' }]);
    const [row] = bundle.evaluate({}, 'test/doc');
    expect(row?.result).toMatchObject(OBJ);
    expect(bundle.evaluate({}, 2)).toEqual([]);
  });

  it('keeps integers beyond 2^53 exact where the SDK alone would round them', async () => {
    const bundle = await loadPolicyBundle({ wasm });
    const [row] = bundle.evaluate({}, 'test/doc');
    expect((row?.result as { big: bigint }).big).toBe(9007199254740993n);
    // The SDK alone (JSON.parse) rounds; the wasm's own text is exact.
    expect(
      ((await sdk.loadPolicy(wasm)).evaluate({}, 'test/doc')[0] as { result: { big: number } })
        .result.big,
    ).toBe(9007199254740992);
    const policy = await sdk.loadPolicy(wasm);
    const exports = (policy.wasmInstance as { exports: Record<string, (...a: number[]) => number> })
      .exports;
    const addr = exports.opa_eval!(0, 1, policy.dataAddr, 0, 0, policy.dataHeapPtr, 0);
    const bytes = new Uint8Array(policy.mem.buffer);
    const text = new TextDecoder().decode(bytes.subarray(addr, bytes.indexOf(0, addr)));
    expect(text).toContain('"big":9007199254740993');
  });

  it('works on the SDK context path (ABI minor < 2) too', async () => {
    const policy = await sdk.loadPolicy(wasm);
    const ctxPath = new sdk.LoadedPolicy(policy.wasmInstance as never, policy.mem, 1);
    expect(ctxPath.evaluate({ x: 1 }, 'test/greeting')).toEqual([{ result: 'héllo "wörld" 😀\n' }]);
    expect(ctxPath.evaluate({}, 'test/undefined')).toEqual([]);
  });

  it.each([0, false, '', null])('refuses the falsy input %j with a clear error', (input) => {
    const bundle = loadPolicyBundleSync({ wasm });
    expect(() => bundle.evaluate(input)).toThrow(ExternalError);
    expect(() => bundle.evaluate(input)).toThrow(/falsy.*no input/);
  });

  it('wraps SDK failures into ExternalError', async () => {
    const bundle = await loadPolicyBundle({ wasm, data: { a: 1 } });
    expect(() => bundle.evaluate({}, 'no/such')).toThrow(ExternalError);
    expect(() => bundle.evaluate({}, 'no/such')).toThrow(/no\/such is not valid/);
    // An abort from inside the runtime (string thrown by the SDK's opa_abort).
    expect(() => bundle.evaluate({}, 7)).toThrow(/regoc:internal: invalid entrypoint id 7/);
    await expect(loadPolicyBundle({ wasm: new Uint8Array([0, 1]) })).rejects.toThrow(
      /not valid wasm/,
    );
  });

  it('keeps memory flat over 100,000 evaluations (heap reset per call)', async () => {
    const policy = await sdk.loadPolicy(wasm, { initial: 5 });
    const heapPtr = (policy.wasmInstance as { exports: Record<string, () => number> }).exports
      .opa_heap_ptr_get as () => number;
    const input = { spec: { dnsNames: ['a.example.com', 'b.example.com'], n: 1.5 }, s: 'x\n' };
    policy.evaluate(input, 1);
    const after1 = heapPtr();
    for (let i = 0; i < 100_000; i++) policy.evaluate(input, i % 2);
    policy.evaluate(input, 1);
    expect(heapPtr()).toBe(after1);
    expect(policy.mem.buffer.byteLength).toBe(5 * 65536);
  });

  it('stays small: runtime plus this plan', () => {
    // Budget for the growing runtime (exact numbers, ordering, UTF-8 checks: 14.5 KB at stage 2;
    // the design expects ~3.5-5k lines of AssemblyScript). Raise it deliberately, not silently.
    // native builtins took the runtime past 20 KB; ref-head trees, `with`, host calls and OPA's
    // builtin errors to 39 KB (plan format 4).
    expect(wasm.length).toBeLessThan(48_000);
  });
});

describe('exact integers in results', () => {
  it('returns integers beyond 2^53 exactly (bigint), from constants and from input arithmetic', async () => {
    const { compile } = await import('../regoc/index.ts');
    const built = compile(
      [
        {
          path: 'p.rego',
          text: `package p
import rego.v1
serial := 170141183460469231731687303715884105727
later := input.ns + 1
small := 42
`,
        },
      ],
      { entrypoints: ['p/serial', 'p/later', 'p/small'] },
    );
    if (!built.ok) throw new Error(JSON.stringify(built.diagnostics));
    const b = await loadPolicyBundle({ wasm: built.wasm });
    expect(b.evaluate(undefined, 'p/serial')).toEqual([
      { result: 170141183460469231731687303715884105727n },
    ]);
    const raw = new TextEncoder().encode('{"ns": 1795780800123456789}').buffer;
    expect(b.evaluate(raw, 'p/later')).toEqual([{ result: 1795780800123456790n }]);
    expect(b.evaluate({ ns: 1 }, 'p/later')).toEqual([{ result: 2 }]);
    expect(b.evaluate(undefined, 'p/small')).toEqual([{ result: 42 }]);
  });
});
