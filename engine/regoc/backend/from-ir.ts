// Plan IR (plan/ir.ts) -> the backend's Plan (plan-format.ts). Rules become rule functions,
// indexed in IR order; the IR's query becomes the entrypoint `queryName` when given; every
// named entrypoint "a/b/c" becomes a query that evaluates rule data.a.b.c and yields one row
// {"result": value}; an entrypoint that names a package (a document entry of the IR) runs its
// code. Contract: throws EntrypointError for an entrypoint that names neither.
import type { Block, Operand as IrOperand, PlanIR, Stmt } from '../plan/ir.ts';
import { lookupBuiltin } from '../check/builtins.ts';
import {
  HOST_BUILTIN_BASE,
  NATIVE_BUILTINS,
  type PlanHostBuiltin,
  type Instr,
  type Operand,
  type Plan,
  type PlanEntrypoint,
} from './plan-format.ts';

export class EntrypointError extends Error {}

/** Host builtins imported under another name: `time.now_ns` is beyond 2^53, so the host
 *  answers it as JSON text (engine/policy/host-builtins.ts provides both names). */
const HOST_IMPORTS: Readonly<Record<string, PlanHostBuiltin>> = {
  'time.now_ns': { name: 'regoc.time.now_ns', arity: 0, resultText: true },
};

export function planFromIR(
  ir: PlanIR,
  entrypoints: readonly string[],
  queryName?: string,
  strictBuiltinErrors = false,
): Plan {
  const index = new Map(ir.rules.map((r, i) => [r.path.join('.'), i]));
  const block = (b: Block): Instr[] => b.stmts.map(stmt);
  const hostBuiltins: PlanHostBuiltin[] = [];
  /** The CALL id of a host builtin, added to the plan's builtin table at first use. */
  function hostId(name: string, arity: number): number {
    if (lookupBuiltin(name)?.kind !== 'host') throw new Error(`no builtin ${name}`);
    const imported = HOST_IMPORTS[name] ?? { name, arity };
    let i = hostBuiltins.findIndex((b) => b.name === imported.name);
    if (i < 0) i = hostBuiltins.push(imported) - 1;
    return HOST_BUILTIN_BASE + i;
  }
  const op = (o: IrOperand): Operand => o;
  function stmt(s: Stmt): Instr {
    switch (s.op) {
      case 'input':
      case 'data':
        return { op: s.op, dst: s.dst };
      case 'assign':
        return { op: 'assign', dst: s.dst, src: op(s.src) };
      case 'dot':
        return { op: 'dot', dst: s.dst, src: { reg: s.src }, key: op(s.key) };
      case 'scan':
        return { op: 'scan', src: { reg: s.src }, key: s.key, value: s.value, body: block(s.body) };
      case 'compare':
        return { op: 'compare', cmp: s.cmp, a: op(s.a), b: op(s.b) };
      case 'truthy':
        return { op: 'truthy', src: op(s.src) };
      case 'arith':
        return { op: 'arith', fn: s.fn, dst: s.dst, a: op(s.a), b: op(s.b) };
      case 'rule': {
        const rule = index.get(s.path.join('.'));
        if (rule === undefined) throw new Error(`no rule data.${s.path.join('.')} in the plan`);
        return { op: 'rule', dst: s.dst, rule };
      }
      case 'not':
        return { op: 'not', body: block(s.body) };
      case 'callfn': {
        const rule = index.get(s.path.join('.'));
        if (rule === undefined) throw new Error(`no function data.${s.path.join('.')} in the plan`);
        return { op: 'callfn', dst: s.dst, rule, args: s.args.map(op) };
      }
      case 'each':
        return { op: 'each', body: block(s.body) };
      case 'with':
        return {
          op: 'with',
          mods: s.mods.map((m) => {
            if (m.kind !== 'rule') return { kind: m.kind, path: m.path, value: op(m.value) };
            const rule = index.get(m.path.join('.'));
            if (rule === undefined) throw new Error(`no rule data.${m.path.join('.')} in the plan`);
            return { kind: 'rule', rule, value: op(m.value) };
          }),
          body: block(s.body),
        };
      case 'withend':
        return { op: 'withend', body: block(s.body) };
      case 'insert':
        return { op: 'insert', coll: s.coll, a: op(s.a), b: op(s.b) };
      case 'yield':
        return { op: 'yield', value: op(s.value), ...(s.key ? { key: op(s.key) } : {}) };
      case 'call': {
        const id = NATIVE_BUILTINS[s.name] ?? hostId(s.name, s.args.length);
        return { op: 'call', id, dst: s.dst, args: s.args.map(op) };
      }
      case 'make':
        return { op: 'make', kind: s.kind, dst: s.dst, items: s.items.map(op) };
      case 'tree':
        return { op: 'tree', mode: s.mode, dst: s.dst, src: op(s.src), keys: s.keys.map(op) };
      case 'solution':
        return { op: 'solution', vars: s.vars.map(([k, r]) => [k, { reg: r }] as const) };
    }
  }
  const eps: PlanEntrypoint[] = entrypoints.map((name) => {
    const doc = ir.documents?.find((d) => d.name === name);
    if (doc) return { name, registers: doc.registers, code: block(doc.code) };
    const rule = index.get(name.split('/').join('.'));
    if (rule === undefined) throw new EntrypointError(`entrypoint ${name} names no rule`);
    return {
      name,
      registers: 1,
      code: [
        { op: 'rule', dst: 0, rule },
        { op: 'solution', vars: [['result', { reg: 0 }]] },
      ],
    };
  });
  if (queryName !== undefined) {
    eps.push({ name: queryName, registers: ir.queryRegisters, code: block(ir.query) });
  }
  const rules = ir.rules.map((r) => ({
    kind: r.kind,
    registers: r.registers,
    bodies: r.bodies.map(block),
    ...(r.elseOf ? { elseOf: r.elseOf } : {}),
    ...(r.defaultValue ? { defaultValue: r.defaultValue } : {}),
  }));
  // After every block is converted: hostId fills the builtin table on the way.
  return {
    entrypoints: eps,
    rules,
    ...(strictBuiltinErrors ? { strictBuiltinErrors } : {}),
    ...(hostBuiltins.length > 0 ? { builtins: hostBuiltins } : {}),
  };
}
