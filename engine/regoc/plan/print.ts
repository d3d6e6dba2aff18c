// A readable dump of the Plan IR for tests and debugging: one statement per line, nested blocks
// indented by two spaces. Registers print as r0, r1…; constants as JSON (bigints as digits).
import type { Block, Operand, PlanIR, RuleFn, Stmt } from './ir.ts';

const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `\u0000${x}` : x)).replace(
    /"\\u0000(-?\d+)"/g,
    '$1',
  );

export const printOperand = (o: Operand): string => ('reg' in o ? `r${o.reg}` : json(o.const));

export function printStmt(s: Stmt): string {
  const o = printOperand;
  switch (s.op) {
    case 'input':
    case 'data':
      return `r${s.dst} = ${s.op}`;
    case 'assign':
      return `r${s.dst} = ${o(s.src)}`;
    case 'dot':
      return `r${s.dst} = r${s.src}[${o(s.key)}]`;
    case 'scan':
      return `scan r${s.src} as r${s.key}, r${s.value}`;
    case 'compare':
      return `${s.cmp} ${o(s.a)} ${o(s.b)}`;
    case 'truthy':
      return `truthy ${o(s.src)}`;
    case 'arith':
      return `r${s.dst} = ${s.fn} ${o(s.a)} ${o(s.b)}`;
    case 'rule':
      return `r${s.dst} = rule data.${s.path.join('.')}`;
    case 'not':
      return 'not';
    case 'each':
      return 'each';
    case 'with':
      return `with ${s.mods
        .map((m) => `${m.kind === 'input' ? 'input' : 'data'}.${m.path.join('.')} as ${o(m.value)}`)
        .join(', ')}`;
    case 'withend':
      return 'withend';
    case 'callfn':
      return `r${s.dst} = call data.${s.path.join('.')}(${s.args.map(o).join(', ')})`;
    case 'insert':
      return `insert r${s.coll} ${o(s.a)} ${o(s.b)}`;
    case 'yield':
      return s.key ? `yield ${o(s.key)}: ${o(s.value)}` : `yield ${o(s.value)}`;
    case 'call':
      return `r${s.dst} = call ${s.name}(${s.args.map(o).join(', ')})`;
    case 'make':
      return `r${s.dst} = ${s.kind} [${s.items.map(o).join(', ')}]`;
    case 'tree':
      return `tree ${s.mode} ${s.dst === null ? 'this' : `r${s.dst}`}[${s.keys.map(o).join(', ')}] ${o(s.src)}`;
    case 'solution':
      return `solution {${s.vars.map(([k, r]) => `${k}: r${r}`).join(', ')}}`;
  }
}

export function printBlock(b: Block, indent = ''): string[] {
  const out: string[] = [];
  for (const s of b.stmts) {
    out.push(indent + printStmt(s));
    if ('body' in s) out.push(...printBlock(s.body, indent + '  '));
  }
  return out;
}

export function printRule(r: RuleFn): string[] {
  const out = [`${r.kind} data.${r.path.join('.')}:`];
  if (r.defaultValue) out.push(`  default ${printOperand(r.defaultValue)}`);
  r.bodies.forEach((b, i) =>
    out.push(`  ${r.elseOf?.[i] ? 'else ' : ''}body ${i}:`, ...printBlock(b, '    ')),
  );
  return out;
}

export function printPlan(p: PlanIR): string {
  return [...p.rules.flatMap(printRule), 'query:', ...printBlock(p.query, '  ')].join('\n');
}
