// Plan -> bytes of the plan segment, laid out for `planBase` (plan-format.ts documents the
// format). Pure and deterministic: the same plan and base give the same bytes.
import { ByteWriter } from './bytes.ts';
import { ConstPool } from './layout.ts';
import {
  ArithCode,
  CompareCode,
  FnKind,
  Header,
  HOST_BUILTIN_BASE,
  HOST_RESULT_TEXT,
  MakeCode,
  Op,
  PLAN_HEADER_SIZE,
  PLAN_MAGIC,
  PLAN_VERSION,
  TreeCode,
  type Instr,
  type Operand,
  type Plan,
} from './plan-format.ts';

/** A function before layout: kind, registers, and its bodies as words. */
interface Fn {
  kind: number;
  registers: number;
  bodies: number[][];
  elseOf: readonly boolean[];
  /** Constant address of the default value, 0 when none. */
  defaultAddr: number;
}

/** A RULE operand to patch: words[at] := address of rule function `rule`. */
interface Fixup {
  words: number[];
  at: number;
  rule: number;
}

export function encodePlan(plan: Plan, planBase: number): Uint8Array {
  if (planBase % 16 !== 0) throw new Error(`planBase ${planBase} is not 16-aligned`);
  const names = new Set<string>();
  for (const e of plan.entrypoints) {
    if (names.has(e.name)) throw new Error(`duplicate entrypoint ${e.name}`);
    names.add(e.name);
  }
  const rules = plan.rules ?? [];

  const out = new ByteWriter();
  for (let i = 0; i < PLAN_HEADER_SIZE; i += 4) out.u32(0);
  const entryTable = planBase + out.length;
  const entrySlots = plan.entrypoints.map(() => out.u32(0));

  const pool = new ConstPool(out, planBase);
  const constStart = planBase + out.length;
  const entrypointsValue = pool.add(
    Object.fromEntries(plan.entrypoints.map((e, i) => [e.name, i])),
  );
  const hostBuiltins = plan.builtins ?? [];
  const builtinsValue = pool.add(
    Object.fromEntries(hostBuiltins.map((b, i) => [b.name, HOST_BUILTIN_BASE + i])),
  );
  const builtinNames = hostBuiltins.map((b) => pool.add(b.name));
  // Operands of the code are constant addresses, so constants are written first.
  const enc = new CodeEncoder(pool, rules.length);
  const fns: Fn[] = [
    ...rules.map((r) => {
      if (r.elseOf?.[0]) throw new Error('the first body cannot be an else branch');
      return {
        kind: FnKind[r.kind],
        registers: r.registers,
        bodies: r.bodies.map((b) => enc.block(b)),
        elseOf: r.elseOf ?? [],
        defaultAddr: r.defaultValue ? pool.add(r.defaultValue.const) : 0,
      };
    }),
    ...plan.entrypoints.map((e) => ({
      kind: FnKind.query,
      registers: e.registers ?? 0,
      bodies: [enc.block(e.code)],
      elseOf: [],
      defaultAddr: 0,
    })),
  ];
  out.align(8);
  const builtinTable = planBase + out.length;
  hostBuiltins.forEach((b, i) => {
    if (!Number.isInteger(b.arity) || b.arity < 0 || b.arity > 4) {
      throw new Error(`host builtin ${b.name} has arity ${b.arity}`);
    }
    out.u32(builtinNames[i] as number);
    out.u32(b.arity | ((b.resultText ? HOST_RESULT_TEXT : 0) << 8));
  });
  const constEnd = planBase + out.length;
  const codeStart = constEnd;

  // Layout: each function's header, then its bodies.
  const fnAddrs: number[] = [];
  let at = codeStart;
  for (const f of fns) {
    fnAddrs.push(at);
    at += 4 * (FN_HEADER_WORDS + f.bodies.length);
    for (const b of f.bodies) at += 4 * b.length;
  }
  for (const fx of enc.fixups) fx.words[fx.at] = fnAddrs[fx.rule] as number;
  fns.forEach((f, i) => {
    out.u32(i < rules.length ? i : 0);
    out.u32(f.kind);
    out.u32(f.registers);
    out.u32(f.bodies.length);
    out.u32(f.defaultAddr);
    let body = planBase + out.length + 4 * f.bodies.length;
    f.bodies.forEach((b, j) => {
      out.u32(body | (f.elseOf[j] ? 1 : 0));
      body += 4 * b.length;
    });
    for (const w of f.bodies.flat()) out.u32(w);
  });
  plan.entrypoints.forEach((_e, i) => {
    out.patchU32(entrySlots[i] as number, fnAddrs[rules.length + i] as number);
  });
  const codeEnd = planBase + out.length;
  if (codeEnd !== at) throw new Error('plan code layout mismatch');
  out.align(8);

  out.patchU32(Header.magic, PLAN_MAGIC);
  out.patchU32(Header.version, PLAN_VERSION);
  out.patchU32(Header.size, out.length);
  out.patchU32(Header.entrypointsValue, entrypointsValue);
  out.patchU32(Header.builtinsValue, builtinsValue);
  out.patchU32(Header.entryCount, plan.entrypoints.length);
  out.patchU32(Header.entryTable, entryTable);
  out.patchU32(Header.builtinCount, hostBuiltins.length);
  out.patchU32(Header.builtinTable, hostBuiltins.length > 0 ? builtinTable : 0);
  out.patchU32(Header.constStart, constStart);
  out.patchU32(Header.constEnd, constEnd);
  out.patchU32(Header.codeStart, codeStart);
  out.patchU32(Header.codeEnd, codeEnd);
  out.patchU32(Header.locationTable, 0);
  out.patchU32(Header.ruleCount, rules.length);
  out.patchU32(Header.flags, plan.strictBuiltinErrors ? 1 : 0);
  return out.finish();
}

const MAX_WORDS = 0xffffff;
/** Instructions whose block holds the rest of the query. */
const LAST_IN_BLOCK = new Set(['scan', 'with', 'withend']);
const WITH_MODE = { input: 0, data: 1, rule: 2 } as const;
/** index, kind, registers, body count, default. */
const FN_HEADER_WORDS = 5;

/** Instructions -> u32 words; constants go to the pool as they are met. */
class CodeEncoder {
  readonly fixups: Fixup[] = [];
  constructor(
    private readonly pool: ConstPool,
    private readonly ruleCount: number,
  ) {}

  /** A block: its instructions, then HALT. */
  block(code: readonly Instr[], words: number[] = []): number[] {
    code.forEach((ins, i) => {
      if (LAST_IN_BLOCK.has(ins.op) && i !== code.length - 1) {
        throw new Error(`a ${ins.op} must be the last instruction of its block`);
      }
      this.instr(ins, words);
    });
    words.push(Op.HALT | (1 << 8));
    return words;
  }

  private operand(o: Operand): number {
    if ('reg' in o) return this.reg(o.reg);
    const addr = this.pool.add(o.const);
    if (addr % 2 !== 0) throw new Error('constant address is not even');
    return addr;
  }

  private reg(r: number): number {
    if (!Number.isInteger(r) || r < 0 || r >= 1 << 30) throw new Error(`bad register ${r}`);
    return (r << 1) | 1;
  }

  private put(words: number[], op: number, operands: readonly number[]): void {
    const n = operands.length + 1;
    if (n > MAX_WORDS) throw new Error('instruction too long');
    words.push(op | (n << 8), ...operands);
  }

  /** An instruction with a nested block: operands, then the block's length, then the block. */
  private nested(words: number[], op: number, operands: number[], body: readonly Instr[]): void {
    this.put(words, op, [...operands, 0]);
    const lengthAt = words.length - 1;
    const start = words.length;
    this.block(body, words);
    words[lengthAt] = words.length - start;
  }

  private instr(ins: Instr, words: number[]): void {
    switch (ins.op) {
      case 'result_const':
        return this.put(words, Op.RESULT_CONST, [this.pool.add(ins.value)]);
      case 'input':
        return this.put(words, Op.INPUT, [this.reg(ins.dst)]);
      case 'data':
        return this.put(words, Op.DATA, [this.reg(ins.dst)]);
      case 'assign':
        return this.put(words, Op.ASSIGN, [this.reg(ins.dst), this.operand(ins.src)]);
      case 'dot':
        return this.put(words, Op.DOT, [
          this.reg(ins.dst),
          this.operand(ins.src),
          this.operand(ins.key),
        ]);
      case 'scan':
        return this.nested(
          words,
          Op.SCAN,
          [this.operand(ins.src), this.reg(ins.key), this.reg(ins.value)],
          ins.body,
        );
      case 'compare':
        return this.put(words, Op.COMPARE, [
          CompareCode[ins.cmp],
          this.operand(ins.a),
          this.operand(ins.b),
        ]);
      case 'truthy':
        return this.put(words, Op.TRUTHY, [this.operand(ins.src)]);
      case 'arith':
        return this.put(words, Op.ARITH, [
          ArithCode[ins.fn],
          this.reg(ins.dst),
          this.operand(ins.a),
          this.operand(ins.b),
        ]);
      case 'rule': {
        if (ins.rule < 0 || ins.rule >= this.ruleCount) throw new Error(`no rule ${ins.rule}`);
        this.put(words, Op.RULE, [this.reg(ins.dst), 0]);
        this.fixups.push({ words, at: words.length - 1, rule: ins.rule });
        return;
      }
      case 'not':
        return this.nested(words, Op.NOT, [], ins.body);
      case 'callfn': {
        if (ins.rule < 0 || ins.rule >= this.ruleCount) throw new Error(`no rule ${ins.rule}`);
        this.put(words, Op.CALLF, [
          this.reg(ins.dst),
          0,
          ins.args.length,
          ...ins.args.map((a) => this.operand(a)),
        ]);
        this.fixups.push({ words, at: words.length - 2 - ins.args.length, rule: ins.rule });
        return;
      }
      case 'each':
        return this.nested(words, Op.EACH, [], ins.body);
      case 'with': {
        const operands: number[] = [ins.mods.length];
        const ruleAt: { at: number; rule: number }[] = [];
        for (const m of ins.mods) {
          operands.push(WITH_MODE[m.kind], this.operand(m.value));
          if (m.kind === 'rule') {
            if (m.rule < 0 || m.rule >= this.ruleCount) throw new Error(`no rule ${m.rule}`);
            operands.push(1, 0);
            ruleAt.push({ at: operands.length - 1, rule: m.rule });
          } else operands.push(m.path.length, ...m.path.map((k) => this.pool.add(k)));
        }
        const start = words.length;
        this.nested(words, Op.WITH, operands, ins.body);
        for (const r of ruleAt) this.fixups.push({ words, at: start + 1 + r.at, rule: r.rule });
        return;
      }
      case 'withend':
        return this.nested(words, Op.WITHEND, [], ins.body);
      case 'insert':
        return this.put(words, Op.INSERT, [
          this.reg(ins.coll),
          this.operand(ins.a),
          this.operand(ins.b),
        ]);
      case 'yield':
        return this.put(words, Op.YIELD, [
          this.operand(ins.value),
          ...(ins.key ? [this.operand(ins.key)] : []),
        ]);
      case 'call':
        if (ins.args.length > 4) throw new Error('a call takes at most 4 arguments');
        return this.put(words, Op.CALL, [
          ins.id,
          this.reg(ins.dst),
          ins.args.length,
          ...ins.args.map((a) => this.operand(a)),
        ]);
      case 'make': {
        const n = ins.kind === 'object' ? ins.items.length / 2 : ins.items.length;
        return this.put(words, Op.MAKE, [
          MakeCode[ins.kind],
          this.reg(ins.dst),
          n,
          ...ins.items.map((a) => this.operand(a)),
        ]);
      }
      case 'tree':
        return this.put(words, Op.TREE, [
          TreeCode[ins.mode],
          ins.dst === null ? 0 : this.reg(ins.dst),
          this.operand(ins.src),
          ins.keys.length,
          ...ins.keys.map((k) => this.operand(k)),
        ]);
      case 'solution':
        return this.put(words, Op.SOLUTION, [
          ins.vars.length,
          ...ins.vars.flatMap(([k, v]) => [this.pool.add(k), this.operand(v)]),
        ]);
    }
  }
}
