// Plan -> policy.wasm: encode the plan for the committed runtime's planBase and splice it in.
import { loadRuntime } from '../runtime/runtime.ts';
import { encodePlan } from './encode.ts';
import type { Plan } from './plan-format.ts';
import { splicePlan } from './splice.ts';

export function linkPlan(plan: Plan): Uint8Array {
  const { wasm, meta } = loadRuntime();
  return splicePlan(wasm, encodePlan(plan, meta.planBase), meta.planBase);
}
