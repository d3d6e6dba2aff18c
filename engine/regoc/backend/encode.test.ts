// The plan format's guards: the runtime refuses other versions and unknown opcodes through
// opa_abort (an ExternalError from the loader), and the encoder rejects malformed code.
import { describe, expect, it } from 'vitest';
import { loadPolicyBundleSync } from '../../policy/loader.ts';
import { loadRuntime } from '../runtime/runtime.ts';
import { encodePlan } from './encode.ts';
import { Header, Op, type Plan } from './plan-format.ts';
import { splicePlan } from './splice.ts';

const PLAN: Plan = {
  entrypoints: [{ name: 't/p', registers: 1, code: [{ op: 'rule', dst: 0, rule: 0 }] }],
  rules: [{ kind: 'complete', registers: 0, bodies: [[{ op: 'yield', value: { const: 1 } }]] }],
};

function evalBytes(mutate: (bytes: Uint8Array, view: DataView, base: number) => void): unknown {
  const { wasm, meta } = loadRuntime();
  const bytes = encodePlan(PLAN, meta.planBase);
  mutate(bytes, new DataView(bytes.buffer), meta.planBase);
  const policy = loadPolicyBundleSync({ wasm: splicePlan(wasm, bytes, meta.planBase) });
  return policy.evaluate({}, 't/p');
}

describe('plan format guards', () => {
  it('runs the unmodified plan', () => {
    expect(evalBytes(() => {})).toEqual([]); // the entrypoint adds no row
  });
  it('refuses another format version', () => {
    expect(() => evalBytes((_b, v) => v.setUint32(Header.version, 99, true))).toThrow(
      /plan format version 99 is not supported/,
    );
  });
  it('refuses an unknown opcode', () => {
    expect(() =>
      evalBytes((_b, v, base) => {
        const codeStart = v.getUint32(Header.codeStart, true) - base;
        // The rule function comes first: 5 header words + 1 body address, then YIELD.
        const at = codeStart + 24;
        expect(v.getUint32(at, true) & 0xff).toBe(Op.YIELD);
        v.setUint32(at, 0x7f | (2 << 8), true);
      }),
    ).toThrow(/unknown opcode 127/);
  });
  it('rejects a scan that is not last in its block and unknown rules', () => {
    const scan = { op: 'scan', src: { reg: 0 }, key: 1, value: 2, body: [] } as const;
    const bad: Plan = { entrypoints: [{ name: 'a/b', code: [scan, { op: 'data', dst: 0 }] }] };
    expect(() => encodePlan(bad, 4096)).toThrow(/last instruction/);
    const noRule: Plan = {
      entrypoints: [{ name: 'a/b', code: [{ op: 'rule', dst: 0, rule: 3 }] }],
    };
    expect(() => encodePlan(noRule, 4096)).toThrow(/no rule 3/);
  });
});
