// The plan interpreter. An entrypoint's code is a sequence of u32-word instructions, each
// `op | (lengthInWords << 8)` followed by its operands (plan-format.ts documents them). It
// produces the result set: an array of {"result": value} objects, empty when undefined.
// Stage 1 knows HALT and RESULT_CONST; the later IR adds opcodes without changing this loop.
import { hasPlan, PLAN_BASE } from './alloc';
import { fail, msgInt, msgStart, msgText, msgThrow } from './abort';
import {
  H_ENTRY_COUNT,
  H_ENTRY_TABLE,
  H_VERSION,
  OP_HALT,
  OP_RESULT_CONST,
  PLAN_VERSION,
  TAG_ARRAY,
  TAG_OBJECT,
} from './layout';
import { arrayPush, newCollection, newString, objectPush } from './value';

const RESULT_KEY: usize = memory.data<u8>([0x72, 0x65, 0x73, 0x75, 0x6c, 0x74]); // "result"

/** Aborts unless the spliced plan was encoded for this runtime's format version. */
export function checkPlan(): void {
  if (!hasPlan()) return;
  const version = load<u32>(PLAN_BASE + H_VERSION);
  if (version == PLAN_VERSION) return;
  msgStart('regoc:internal: plan format version ');
  msgInt(version);
  msgText(' is not supported by this runtime');
  msgThrow();
}

/** Evaluates entrypoint `id`; returns the result-set value (an array). */
// `_input` and `_data` are unused until the IR reads them (INPUT / DATA opcodes).
export function evalEntrypoint(id: i32, _input: usize, _data: usize): usize {
  checkPlan();
  const count = hasPlan() ? load<i32>(PLAN_BASE + H_ENTRY_COUNT) : 0;
  if (id < 0 || id >= count) {
    msgStart('regoc:internal: invalid entrypoint id ');
    msgInt(id);
    msgThrow();
  }
  const results = newCollection(TAG_ARRAY, 1);
  const table = <usize>load<u32>(PLAN_BASE + H_ENTRY_TABLE);
  let pc = <usize>load<u32>(table + ((<usize>id) << 2));
  while (true) {
    const word = load<u32>(pc);
    const op = word & 0xff;
    const words = <usize>((word >> 8) & 0xff);
    if (op == OP_HALT) return results;
    if (op == OP_RESULT_CONST) {
      addResult(results, <usize>load<u32>(pc + 4));
    } else {
      msgStart('regoc:internal: unknown opcode ');
      msgInt(op);
      msgThrow();
    }
    if (words == 0) fail('regoc:internal: zero-length instruction');
    pc += words << 2;
  }
  return results;
}

function addResult(results: usize, value: usize): void {
  const row = newCollection(TAG_OBJECT, 1);
  objectPush(row, newString(RESULT_KEY, 6), value);
  arrayPush(results, row);
}
