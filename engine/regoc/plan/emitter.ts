// Lowering state for one rule body or query: the block being filled (which moves into a scan's
// body when a ref iterates), the variable → register environment, and the rule tree for refs
// under `data`. Anything outside the core subset throws Unsupported (caught by lower.ts); the
// emitter never guesses a lowering.
import type { ConstValue } from '../backend/plan-format.ts';
import type { Term } from '../syntax/ast.ts';
import type { Location } from '../syntax/location.ts';
import type { Block, Operand, Reg, Stmt } from './ir.ts';

export class Unsupported extends Error {
  constructor(
    readonly location: Location,
    readonly construct: string,
  ) {
    super(`unsupported: ${construct}`);
  }
}

/** What the emitter needs to know about the rule tree. */
export interface RuleTree {
  /** The rule kind at a data path, if a rule is defined exactly there. */
  kindAt(path: readonly string[]): string | undefined;
  /** The arity of the function at a data path (0 for other rules). */
  arityAt(path: readonly string[]): number | undefined;
  /** The rule groups strictly below this data path, sorted by path: (path, kind). */
  groupsBelow(path: readonly string[]): readonly { path: readonly string[]; kind: string }[];
  /** The package path of the module being lowered (for bare rule names), or null in a query. */
  readonly packagePath: readonly string[] | null;
  /** Import aliases of the module to data paths (without the leading "data"). */
  readonly imports: ReadonlyMap<string, readonly string[]>;
  /** Names of the package's rules (globals in bodies). */
  readonly ruleNames: ReadonlySet<string>;
}

export class Emitter {
  block: Block = { stmts: [] };
  readonly root: Block = this.block;
  vars = new Map<string, Reg>();

  constructor(
    readonly tree: RuleTree,
    private readonly counter: { n: number } = { n: 0 },
  ) {}

  get registers(): number {
    return this.counter.n;
  }

  reg(): Reg {
    return this.counter.n++;
  }

  emit(s: Stmt): void {
    this.block.stmts.push(s);
  }

  /** Runs `f` with statements going into `b` and a copy of the environment; restores both. */
  nested(b: Block, f: () => void): void {
    const [saved, env] = [this.block, this.vars];
    this.block = b;
    this.vars = new Map(env);
    try {
      f();
    } finally {
      this.block = saved;
      this.vars = env;
    }
  }

  toReg(o: Operand): Reg {
    if ('reg' in o) return o.reg;
    const dst = this.reg();
    this.emit({ op: 'assign', dst, src: o });
    return dst;
  }
}

/** The constant of a term for which isGround(t) holds. */
export function constOf(t: Term): ConstValue {
  switch (t.type) {
    case 'null':
      return null;
    case 'boolean':
    case 'string':
      return t.value;
    case 'number': {
      const n = numberConst(t.text);
      if (typeof n === 'number' && !Number.isFinite(n)) {
        throw new Unsupported(t.location, 'numbers beyond the float range');
      }
      return n;
    }
    case 'array':
      return t.items.map(constOf);
    case 'object': {
      const obj: Record<string, ConstValue> = {};
      for (const e of t.entries) if (e.key.type === 'string') obj[e.key.value] = constOf(e.value);
      return obj;
    }
    default:
      throw new Unsupported(t.location, `${t.type} as a constant`);
  }
}

/** Scalars, and arrays / string-keyed objects of ground terms (sets are not constants here). */
export function isGround(t: Term): boolean {
  switch (t.type) {
    case 'null':
    case 'boolean':
    case 'string':
    case 'number':
      return true;
    case 'array':
      return t.items.every(isGround);
    case 'object':
      return t.entries.every((e) => e.key.type === 'string' && isGround(e.value));
    default:
      return false;
  }
}

/** Integers stay exact (bigint beyond 2^53); other numbers are doubles. */
export function numberConst(text: string): number | bigint {
  if (/^-?\d+$/.test(text)) {
    const b = BigInt(text);
    return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(b)
      : b;
  }
  return Number(text);
}
