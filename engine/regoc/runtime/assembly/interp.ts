// The plan interpreter (plan-format.ts documents the code). A function (an entrypoint's query
// or a rule) is a header — index, kind, register count, body count, default, body words — and each
// body is a block: u32-word instructions `op | (lengthInWords << 8)` ending at HALT. A failing
// instruction ends its block for the current solution; SCAN runs its nested block once per
// element; NOT succeeds when its nested block never reaches its end. YIELD adds to the running
// rule's value, SOLUTION adds a row to the entrypoint's result set (an array). Rules are
// evaluated at most once per evaluation (cached by index). Unknown opcodes abort.
import { hasPlan, alloc, PLAN_BASE } from './alloc';
import { fail, msgInt, msgStart, msgText, msgThrow } from './abort';
import { intAdd, intMul, intSub } from './arith';
import { callBuiltin, setOp } from './builtins';
import { callHost } from './host';
import { typeError } from './builtin-error';
import { objectGet, objectInsert, setAdd, setContains } from './collections';
import { compareValues, valuesEqual } from './compare';
import { TREE_BASE, TREE_MERGE, treeBase, treeChild, treeLeaf, treeMerge, treeReset } from './tree';
import {
  FN_COMPLETE,
  FN_FUNCTION,
  FN_OBJECT,
  FN_QUERY,
  FN_SET,
  H_ENTRY_COUNT,
  H_ENTRY_TABLE,
  H_RULE_COUNT,
  H_VERSION,
  HOST_BUILTIN_BASE,
  OP_ARITH,
  OP_CALL,
  OP_CALLF,
  OP_EACH,
  OP_INSERT,
  OP_MAKE,
  OP_ASSIGN,
  OP_COMPARE,
  OP_DATA,
  OP_DOT,
  OP_HALT,
  OP_INPUT,
  OP_NOT,
  OP_RESULT_CONST,
  OP_RULE,
  OP_SCAN,
  OP_SOLUTION,
  OP_TREE,
  OP_TRUTHY,
  OP_WITH,
  OP_WITHEND,
  OP_YIELD,
  PLAN_VERSION,
  TAG_ARRAY,
  TAG_BIGNUM,
  TAG_BOOL,
  TAG_FLOAT,
  TAG_INT,
  TAG_OBJECT,
  TAG_SET,
  V_A,
  V_B,
} from './layout';
import {
  arrayAt,
  arrayPush,
  EMPTY_OBJECT_V,
  newCollection,
  newInt,
  newString,
  objectKeyAt,
  objectPush,
  objectValueAt,
} from './value';

const RESULT_KEY: usize = memory.data<u8>([0x72, 0x65, 0x73, 0x75, 0x6c, 0x74]); // "result"

/** Misplaced YIELD/SOLUTION, a zero-length instruction, a recursive rule: encoder bugs. */
const BAD_PLAN = 'regoc:internal: invalid plan';

// Evaluation state; rule calls save and restore the per-function part.
let inputV: usize = 0;
let dataV: usize = 0;
let results: usize = 0;
/** Per rule index: 0 = not evaluated, 1 = evaluating, 2 = done; value addr beside it. */
let ruleState: usize = 0;
let frame: usize = 0;
let fnKind: u32 = 0;
let acc: usize = 0;
/** YIELDs of the running function so far (else chains compare it before and after); a rule
 *  call saves and restores it, so a nested rule's yields never count for the caller. */
let yields: u32 = 0;
/** The innermost active WITH: a saved (input, data, ruleState, outer node) of 4 u32. */
let withTop: usize = 0;

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
export function evalEntrypoint(id: i32, input: usize, data: usize): usize {
  checkPlan();
  const count = hasPlan() ? load<i32>(PLAN_BASE + H_ENTRY_COUNT) : 0;
  if (id < 0 || id >= count) {
    msgStart('regoc:internal: invalid entrypoint id ');
    msgInt(id);
    msgThrow();
  }
  inputV = input;
  dataV = data != 0 ? data : EMPTY_OBJECT_V;
  withTop = 0;
  results = newCollection(TAG_ARRAY, 1);
  const rules = <usize>load<u32>(PLAN_BASE + H_RULE_COUNT);
  treeReset();
  ruleState = alloc(rules << 3);
  memory.fill(ruleState, 0, rules << 3);
  const table = <usize>load<u32>(PLAN_BASE + H_ENTRY_TABLE);
  callFunction(<usize>load<u32>(table + ((<usize>id) << 2)));
  return results;
}

/** Runs every body of the function at `fn` in a fresh frame whose first `argc` registers are
 *  the u32 value addresses at `args`; returns its accumulator (or default, or 0). */
function callFunction(fn: usize, args: usize = 0, argc: usize = 0): usize {
  const kind = load<u32>(fn + 4);
  const regs = <usize>load<u32>(fn + 8);
  const bodies = <usize>load<u32>(fn + 12);
  const dflt = <usize>load<u32>(fn + 16);
  const savedFrame = frame;
  const savedKind = fnKind;
  const savedAcc = acc;
  const savedYields = yields;
  yields = 0;
  frame = alloc(regs << 2);
  memory.fill(frame, 0, regs << 2);
  if (argc > 0) memory.copy(frame, args, argc << 2);
  fnKind = kind;
  acc =
    kind == FN_SET
      ? newCollection(TAG_SET, 4)
      : kind == FN_OBJECT
        ? newCollection(TAG_OBJECT, 4)
        : 0;
  let chainStart: u32 = 0;
  for (let i: usize = 0; i < bodies; i++) {
    const word = load<u32>(fn + 20 + (i << 2));
    // An else branch runs only when its chain has yielded nothing so far.
    if ((word & 1) == 0) chainStart = yields;
    else if (yields != chainStart) continue;
    runBlock(<usize>(word & ~1));
  }
  const out = acc == 0 ? dflt : acc;
  frame = savedFrame;
  fnKind = savedKind;
  acc = savedAcc;
  yields = savedYields;
  return out;
}

/** Register-or-constant operand: odd words are registers (`reg << 1 | 1`), even constants. */
function operand(w: u32): usize {
  return (w & 1) != 0 ? <usize>load<u32>(frame + ((<usize>(w >> 1)) << 2)) : <usize>w;
}
function setReg(w: u32, v: usize): void {
  store<u32>(frame + ((<usize>(w >> 1)) << 2), <u32>v);
}
function arg(pc: usize, i: usize): u32 {
  return load<u32>(pc + (i << 2));
}

/** Runs the block at pc to its HALT; returns true when the end was reached at least once. */
function runBlock(start: usize): bool {
  let pc = start;
  while (true) {
    const word = load<u32>(pc);
    const op = word & 0xff;
    const words = <usize>(word >> 8);
    if (op == OP_HALT) return true;
    if (words == 0) fail(BAD_PLAN);
    let ok = true;
    if (op == OP_ASSIGN) {
      setReg(arg(pc, 1), operand(arg(pc, 2)));
    } else if (op == OP_DOT) {
      const v = dot(operand(arg(pc, 2)), operand(arg(pc, 3)));
      if (v == 0) return false;
      setReg(arg(pc, 1), v);
    } else if (op == OP_COMPARE) {
      ok = compare(arg(pc, 1), operand(arg(pc, 2)), operand(arg(pc, 3)));
    } else if (op == OP_TRUTHY) {
      const v = operand(arg(pc, 1));
      ok = !(load<u32>(v) == TAG_BOOL && load<u32>(v + V_A) == 0);
    } else if (op == OP_INPUT) {
      if (inputV == 0) return false;
      setReg(arg(pc, 1), inputV);
    } else if (op == OP_DATA) {
      setReg(arg(pc, 1), dataV);
    } else if (op == OP_SCAN) {
      return scan(pc);
    } else if (op == OP_WITH) {
      return withOp(pc);
    } else if (op == OP_WITHEND) {
      return withEnd(pc);
    } else if (op == OP_NOT) {
      if (runBlock(pc + 8)) return false;
      pc += (<usize>arg(pc, 1)) << 2;
    } else if (op == OP_ARITH) {
      const v = arith(arg(pc, 1), operand(arg(pc, 3)), operand(arg(pc, 4)));
      if (v == 0) return false;
      setReg(arg(pc, 2), v);
    } else if (op == OP_RULE) {
      const v = rule(<usize>arg(pc, 2));
      if (v == 0) return false;
      setReg(arg(pc, 1), v);
    } else if (op == OP_CALL) {
      const n = <usize>arg(pc, 3);
      const id = arg(pc, 1);
      const a = n > 0 ? operand(arg(pc, 4)) : 0;
      const b = n > 1 ? operand(arg(pc, 5)) : 0;
      const c = n > 2 ? operand(arg(pc, 6)) : 0;
      const d = n > 3 ? operand(arg(pc, 7)) : 0;
      const v = id >= HOST_BUILTIN_BASE ? callHost(id, n, a, b, c, d) : callBuiltin(id, a, b, c, d);
      if (v == 0) return false;
      setReg(arg(pc, 2), v);
    } else if (op == OP_CALLF) {
      // CALLF dst fnAddr n args…: arguments are read in the caller's frame.
      const n = <usize>arg(pc, 3);
      const args = alloc(n << 2);
      for (let i: usize = 0; i < n; i++) store<u32>(args + (i << 2), <u32>operand(arg(pc, 4 + i)));
      const v = callFunction(<usize>arg(pc, 2), args, n);
      if (v == 0) return false;
      setReg(arg(pc, 1), v);
    } else if (op == OP_EACH) {
      runBlock(pc + 8);
      pc += (<usize>arg(pc, 1)) << 2;
    } else if (op == OP_INSERT) {
      insert(operand(arg(pc, 1)), operand(arg(pc, 2)), operand(arg(pc, 3)));
    } else if (op == OP_MAKE) {
      setReg(arg(pc, 2), make(pc));
    } else if (op == OP_YIELD) {
      if (fnKind == FN_OBJECT) insert(acc, operand(arg(pc, 2)), operand(arg(pc, 1)));
      else yieldValue(operand(arg(pc, 1)));
      if (fnKind == FN_OBJECT) yields++;
    } else if (op == OP_TREE) {
      tree(pc);
    } else if (op == OP_SOLUTION) {
      solution(pc);
    } else if (op == OP_RESULT_CONST) {
      addRow(<usize>arg(pc, 1));
    } else {
      msgStart('regoc:internal: unknown opcode ');
      msgInt(op);
      msgThrow();
    }
    if (!ok) return false;
    pc += words << 2;
  }
  return true;
}

/** SCAN src key value bodyWords, body…HALT: the body runs per element (the encoder puts
 *  nothing after a SCAN in its block); true when some run reached its end. */
function scan(pc: usize): bool {
  const coll = operand(arg(pc, 1));
  const kw = arg(pc, 2);
  const vw = arg(pc, 3);
  const body = pc + 20;
  const tag = load<u32>(coll);
  const n = load<u32>(coll + V_A);
  let any = false;
  for (let i: u32 = 0; i < n; i++) {
    if (tag == TAG_ARRAY) {
      setReg(kw, newInt(<i64>i));
      setReg(vw, arrayAt(coll, i));
    } else if (tag == TAG_OBJECT) {
      setReg(kw, objectKeyAt(coll, i));
      setReg(vw, objectValueAt(coll, i));
    } else if (tag == TAG_SET) {
      setReg(kw, arrayAt(coll, i));
      setReg(vw, arrayAt(coll, i));
    } else return false;
    if (runBlock(body)) any = true;
  }
  return any;
}

/** coll[key], or 0 when undefined. */
function dot(coll: usize, key: usize): usize {
  const tag = load<u32>(coll);
  if (tag == TAG_OBJECT) return objectGet(coll, key);
  if (tag == TAG_SET) return setContains(coll, key) ? key : 0;
  if (tag == TAG_ARRAY && load<u32>(key) == TAG_INT) {
    const i = load<i64>(key + V_B);
    if (i >= 0 && i < <i64>load<u32>(coll + V_A)) return arrayAt(coll, <u32>i);
  }
  return 0;
}

/** 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge. */
function compare(cmp: u32, a: usize, b: usize): bool {
  if (cmp == 0) return valuesEqual(a, b);
  if (cmp == 1) return !valuesEqual(a, b);
  const c = compareValues(a, b);
  if (cmp == 2) return c < 0;
  if (cmp == 3) return c <= 0;
  if (cmp == 4) return c > 0;
  return c >= 0;
}
function isNumber(v: usize): bool {
  const t = load<u32>(v);
  return t == TAG_INT || t == TAG_BIGNUM || t == TAG_FLOAT;
}
function isInteger(v: usize): bool {
  const t = load<u32>(v);
  return t == TAG_INT || t == TAG_BIGNUM;
}

/** 0 plus, 1 minus, 2 mul on integers, 1 also on two sets (difference); anything else (floats, set difference, OPA's type
 *  errors) aborts `regoc:unsupported`. */
function arith(fn: u32, a: usize, b: usize): usize {
  if (fn == 1 && load<u32>(a) == TAG_SET && load<u32>(b) == TAG_SET) return setOp(a, b, 57);
  if (fn == 1) {
    // OPA's minus: numbers or two sets; its type errors in its order.
    const aNum = isNumber(a);
    const bNum = isNumber(b);
    if (!aNum && load<u32>(a) != TAG_SET) return typeError('minus', 1, 'one of {number, set}', a);
    if (!(aNum && bNum)) {
      return bNum ? typeError('minus', 2, 'set', b) : typeError('minus', 2, 'number', b);
    }
  }
  if (!isInteger(a) || !isInteger(b)) fail('regoc:unsupported: arithmetic beyond integers');
  if (fn == 0) return intAdd(a, b);
  if (fn == 1) return intSub(a, b);
  return intMul(a, b);
}

/** The value of the rule whose function header is at `fn`, or 0 when undefined. */
function rule(fn: usize): usize {
  const slot = ruleState + ((<usize>load<u32>(fn)) << 3);
  const state = load<u32>(slot);
  if (state == 2) return <usize>load<u32>(slot + 4);
  if (state == 1) fail(BAD_PLAN); // the checker rejects recursion
  store<u32>(slot, 1);
  const v = callFunction(fn);
  store<u32>(slot, 2);
  store<u32>(slot + 4, <u32>v);
  return v;
}

function yieldValue(v: usize): void {
  yields++;
  if (fnKind == FN_SET) {
    setAdd(acc, v);
  } else if (fnKind == FN_COMPLETE || fnKind == FN_FUNCTION) {
    if (acc != 0 && !valuesEqual(acc, v))
      fail(
        fnKind == FN_COMPLETE
          ? 'regoc:eval_conflict_error: complete rules must not produce multiple outputs'
          : 'regoc:eval_conflict_error: functions must not produce multiple outputs for same inputs',
      );
    acc = v;
  } else fail(BAD_PLAN);
}

/** TREE mode dst src n key*n: puts src into the tree in dst (word 0: the running rule's object)
 *  at the path of the n keys (tree.ts); mode BASE copies the base document src into dst. */
function tree(pc: usize): void {
  const mode = arg(pc, 1);
  const dw = arg(pc, 2);
  if (dw == 0 && fnKind != FN_OBJECT) fail(BAD_PLAN);
  let node = dw == 0 ? acc : operand(dw);
  const src = operand(arg(pc, 3));
  const n = <usize>arg(pc, 4);
  if (mode == TREE_BASE) {
    // src is the data document; the keys lead to the base document under the tree's path.
    let doc = src;
    for (let i: usize = 0; i < n && doc != 0 && load<u32>(doc) == TAG_OBJECT; i++) {
      doc = objectGet(doc, operand(arg(pc, 5 + i)));
    }
    return treeBase(node, doc);
  }
  if (n == 0) {
    if (mode != TREE_MERGE) fail(BAD_PLAN);
    return treeMerge(node, src);
  }
  for (let i: usize = 0; i + 1 < n; i++) node = treeChild(node, operand(arg(pc, 5 + i)));
  treeLeaf(mode, node, operand(arg(pc, 4 + n)), src);
}

/** SOLUTION n (keyConst, operand)*n: one row of the result set. */
function solution(pc: usize): void {
  if (fnKind != FN_QUERY) fail(BAD_PLAN);
  const n = <usize>arg(pc, 1);
  const row = newCollection(TAG_OBJECT, <u32>n);
  for (let i: usize = 0; i < n; i++) {
    objectPush(row, <usize>arg(pc, 2 + 2 * i), operand(arg(pc, 3 + 2 * i)));
  }
  arrayPush(results, row);
}

/** RESULT_CONST: adds {"result": <constant>} to the result set. */
function addRow(value: usize): void {
  const row = newCollection(TAG_OBJECT, 1);
  objectPush(row, newString(RESULT_KEY, 6), value);
  arrayPush(results, row);
}

/** MAKE kind dst n items…: kind 0 array, 1 set (n members), 2 object (n key/value pairs; a
 *  repeated key aborts `regoc:unsupported`: OPA's answer for repeats is not reproduced). */
function make(pc: usize): usize {
  const kind = arg(pc, 1);
  const n = arg(pc, 3);
  const v = newCollection(kind == 0 ? TAG_ARRAY : kind == 1 ? TAG_SET : TAG_OBJECT, n);
  for (let i: u32 = 0; i < n; i++) {
    if (kind == 0) arrayPush(v, operand(arg(pc, 4 + i)));
    else if (kind == 1) setAdd(v, operand(arg(pc, 4 + i)));
    else {
      const k = operand(arg(pc, 4 + 2 * i));
      if (objectGet(v, k) != 0) fail('regoc:unsupported: an object built with a repeated key');
      objectInsert(v, k, operand(arg(pc, 5 + 2 * i)));
    }
  }
  return v;
}

/** INSERT coll a b: appends a to an array, adds a to a set, or sets object key a to b (a
 *  different value for a present key aborts `regoc:unsupported`; OPA reports a conflict). */
function insert(coll: usize, a: usize, b: usize): void {
  const t = load<u32>(coll);
  if (t == TAG_ARRAY) arrayPush(coll, a);
  else if (t == TAG_SET) setAdd(coll, a);
  else {
    const old = objectGet(coll, a);
    if (old != 0 && !valuesEqual(old, b))
      fail('regoc:unsupported: an object built with a conflicting key');
    if (old == 0) objectInsert(coll, a, b);
  }
}

/** WITH count (mode value m key*m)*count blockWords, block: runs the block (the modified
 *  expression, then WITHEND and the rest of the query) with input (mode 0) or base data (1)
 *  replaced at the key path, or the rule whose function is at key 0 (mode 2) given the value,
 *  and a fresh rule cache; restores all three after. Must be the last in its block. */
function withOp(pc: usize): bool {
  const count = arg(pc, 1);
  let newInput = inputV;
  let newData = dataV;
  const rules = <usize>load<u32>(PLAN_BASE + H_RULE_COUNT);
  const fresh = alloc(rules << 3);
  memory.fill(fresh, 0, rules << 3);
  let p = pc + 8;
  for (let i: u32 = 0; i < count; i++) {
    const mode = load<u32>(p);
    const value = operand(load<u32>(p + 4));
    const m = <usize>load<u32>(p + 8);
    if (mode == 0) newInput = patch(newInput, p + 12, m, value);
    else if (mode == 1) newData = patch(newData, p + 12, m, value);
    else {
      const slot = fresh + ((<usize>load<u32>(<usize>load<u32>(p + 12))) << 3);
      store<u32>(slot, 2);
      store<u32>(slot + 4, <u32>value);
    }
    p += 12 + (m << 2);
  }
  const node = alloc(16);
  store<u32>(node, <u32>inputV);
  store<u32>(node + 4, <u32>dataV);
  store<u32>(node + 8, <u32>ruleState);
  store<u32>(node + 12, <u32>withTop);
  withTop = node;
  inputV = newInput;
  dataV = newData;
  ruleState = fresh;
  const ok = runBlock(p + 4);
  inputV = <usize>load<u32>(node);
  dataV = <usize>load<u32>(node + 4);
  ruleState = <usize>load<u32>(node + 8);
  withTop = <usize>load<u32>(node + 12);
  return ok;
}

/** WITHEND blockWords, block: the rest of the query after a modified expression runs in the
 *  state outside the innermost WITH; the WITH's state returns for the expression's next
 *  solution. Must be the last in its block. */
function withEnd(pc: usize): bool {
  const node = withTop;
  if (node == 0) fail(BAD_PLAN);
  const innerInput = inputV;
  const innerData = dataV;
  const innerRules = ruleState;
  inputV = <usize>load<u32>(node);
  dataV = <usize>load<u32>(node + 4);
  ruleState = <usize>load<u32>(node + 8);
  withTop = <usize>load<u32>(node + 12);
  const ok = runBlock(pc + 8);
  inputV = innerInput;
  dataV = innerData;
  ruleState = innerRules;
  withTop = node;
  return ok;
}

/** `doc` with the value at the key path (m constant keys at `keys`) replaced, objects created
 *  along the path where absent (0 = absent); a non-object on the path aborts unsupported. */
function patch(doc: usize, keys: usize, m: usize, value: usize): usize {
  if (m == 0) return value;
  if (doc != 0 && load<u32>(doc) != TAG_OBJECT) {
    fail('regoc:unsupported: `with` through a value that is not an object');
  }
  const key = <usize>load<u32>(keys);
  const child = doc != 0 ? objectGet(doc, key) : 0;
  const n: u32 = doc != 0 ? load<u32>(doc + V_A) : 0;
  const copy = newCollection(TAG_OBJECT, n + 1);
  for (let i: u32 = 0; i < n; i++) objectPush(copy, objectKeyAt(doc, i), objectValueAt(doc, i));
  objectInsert(copy, key, patch(child, keys + 4, m - 1, value));
  return copy;
}
