// Plan -> bytes of the plan segment, laid out for `planBase` (plan-format.ts documents the
// format). Pure and deterministic: the same plan and base give the same bytes.
import { ByteWriter } from './bytes.ts';
import { ConstPool } from './layout.ts';
import {
  Header,
  Op,
  PLAN_HEADER_SIZE,
  PLAN_MAGIC,
  PLAN_VERSION,
  type Instr,
  type Plan,
} from './plan-format.ts';

export function encodePlan(plan: Plan, planBase: number): Uint8Array {
  if (planBase % 16 !== 0) throw new Error(`planBase ${planBase} is not 16-aligned`);
  const names = new Set<string>();
  for (const e of plan.entrypoints) {
    if (names.has(e.name)) throw new Error(`duplicate entrypoint ${e.name}`);
    names.add(e.name);
  }

  const out = new ByteWriter();
  for (let i = 0; i < PLAN_HEADER_SIZE; i += 4) out.u32(0);
  const entryTable = planBase + out.length;
  const entrySlots = plan.entrypoints.map(() => out.u32(0));

  const pool = new ConstPool(out, planBase);
  const constStart = planBase + out.length;
  const entrypointsValue = pool.add(
    Object.fromEntries(plan.entrypoints.map((e, i) => [e.name, i])),
  );
  const builtinsValue = pool.add({});
  // Operands of the code are constant addresses, so constants are written first.
  const code = plan.entrypoints.map((e) => e.code.map((ins) => lowerInstr(ins, pool)));
  out.align(8);
  const constEnd = planBase + out.length;

  const codeStart = constEnd;
  code.forEach((words, i) => {
    out.patchU32(entrySlots[i] as number, planBase + out.length);
    for (const w of words.flat()) out.u32(w);
    out.u32(Op.HALT | (1 << 8));
  });
  const codeEnd = planBase + out.length;
  out.align(8);

  out.patchU32(Header.magic, PLAN_MAGIC);
  out.patchU32(Header.version, PLAN_VERSION);
  out.patchU32(Header.size, out.length);
  out.patchU32(Header.entrypointsValue, entrypointsValue);
  out.patchU32(Header.builtinsValue, builtinsValue);
  out.patchU32(Header.entryCount, plan.entrypoints.length);
  out.patchU32(Header.entryTable, entryTable);
  out.patchU32(Header.builtinCount, 0);
  out.patchU32(Header.builtinTable, 0);
  out.patchU32(Header.constStart, constStart);
  out.patchU32(Header.constEnd, constEnd);
  out.patchU32(Header.codeStart, codeStart);
  out.patchU32(Header.codeEnd, codeEnd);
  out.patchU32(Header.locationTable, 0);
  return out.finish();
}

/** One instruction as u32 words: `op | (length << 8)`, then operands. */
function lowerInstr(ins: Instr, pool: ConstPool): number[] {
  switch (ins.op) {
    case 'result_const':
      return [Op.RESULT_CONST | (2 << 8), pool.add(ins.value)];
  }
}
