// The Plan IR (design §3 "Plan IR"): blocks of statements over numbered registers. A statement
// either succeeds (possibly binding a register) or fails, which ends its block for the current
// solution. Iteration is a `scan` whose body holds the rest of the query; `not` succeeds when
// its block produces no solution. Statements that can fail with an error carry a location.
import type { ConstValue, TreeMode } from '../backend/plan-format.ts';
import type { Location } from '../syntax/location.ts';

export type Reg = number;

/** A register or an inline constant. */
export type Operand = { readonly reg: Reg } | { readonly const: ConstValue };

export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type ArithOp = 'plus' | 'minus' | 'mul';

export interface Block {
  readonly stmts: Stmt[];
}

export type Stmt =
  /** dst := input; fails when there is no input. */
  | { readonly op: 'input'; readonly dst: Reg }
  /** dst := the base data document. */
  | { readonly op: 'data'; readonly dst: Reg }
  /** dst := src (always succeeds). */
  | { readonly op: 'assign'; readonly dst: Reg; readonly src: Operand }
  /** dst := src[key]; fails when src has no such key/index/member. */
  | { readonly op: 'dot'; readonly dst: Reg; readonly src: Reg; readonly key: Operand }
  /** For each (k, v) of the collection in src (array, object, set), run body. */
  | {
      readonly op: 'scan';
      readonly src: Reg;
      readonly key: Reg;
      readonly value: Reg;
      readonly body: Block;
    }
  /** Fails unless `a op b` holds (OPA order; numbers by value; values of different kinds are not equal). */
  | { readonly op: 'compare'; readonly cmp: CompareOp; readonly a: Operand; readonly b: Operand }
  /** Fails when src is false (any other defined value succeeds). */
  | { readonly op: 'truthy'; readonly src: Operand }
  /** dst := a op b on numbers (integers exact); fails on non-numbers (error in strict mode). */
  | {
      readonly op: 'arith';
      readonly fn: ArithOp;
      readonly dst: Reg;
      readonly a: Operand;
      readonly b: Operand;
      readonly location: Location;
    }
  /** dst := the value of the rule at data path `path`; fails when it is undefined. */
  | { readonly op: 'rule'; readonly dst: Reg; readonly path: readonly string[] }
  /** Succeeds when body produces no solution; binds nothing. */
  | { readonly op: 'not'; readonly body: Block }
  /** Emits one value of the enclosing rule (complete: its value, conflict-checked; set: a member). */
  | {
      readonly op: 'yield';
      readonly value: Operand;
      /** Object rules: the key of the pair. */
      readonly key?: Operand;
      readonly location: Location;
    }
  /** dst := builtin `name` of args: native (backend NATIVE_BUILTINS) or host (check/builtins
   *  kind 'host', called through the SDK); fails when undefined. */
  | {
      readonly op: 'call';
      readonly name: string;
      readonly dst: Reg;
      readonly args: readonly Operand[];
      readonly location: Location;
    }
  /** dst := a new array, set, or object (items: key, value, key, value…). */
  | {
      readonly op: 'make';
      readonly kind: 'array' | 'set' | 'object';
      readonly dst: Reg;
      readonly items: readonly Operand[];
    }
  /** dst := the user function at `path` called with args; fails when undefined. */
  | {
      readonly op: 'callfn';
      readonly dst: Reg;
      readonly path: readonly string[];
      readonly args: readonly Operand[];
    }
  /** Runs body (its solutions insert into a comprehension's collection); always succeeds. */
  | { readonly op: 'each'; readonly body: Block }
  /** Runs body — a `with` literal's expression, then `withend` — with input / base data
   *  patched at paths or rules given values (in order), and a fresh rule cache. Last in its
   *  block. */
  | { readonly op: 'with'; readonly mods: readonly WithMod[]; readonly body: Block }
  /** The rest of the query after a `with` expression: runs outside the innermost `with`. */
  | { readonly op: 'withend'; readonly body: Block }
  /** Adds a to the array/set in coll, or key a with value b to its object. */
  | { readonly op: 'insert'; readonly coll: Reg; readonly a: Operand; readonly b: Operand }
  /** Puts src into the rule tree in dst (null: the running object rule's value) at the path of
   *  keys (mode value: a value leaf; member: a member of a set leaf; set: every member of set
   *  src; merge: the tree src; base: src is `data`, keys its path, and the object found there is
   *  copied into dst). Never fails; conflicts are evaluation errors. */
  | {
      readonly op: 'tree';
      readonly mode: TreeMode;
      readonly dst: Reg | null;
      readonly src: Operand;
      readonly keys: readonly Operand[];
    }
  /** Emits one query solution: an object of the named variables. */
  | { readonly op: 'solution'; readonly vars: readonly (readonly [string, Reg])[] };

/** One `with` modifier: its value replaces input or base data at `path`, or a rule's value. */
export type WithMod =
  | { readonly kind: 'input' | 'data'; readonly path: readonly string[]; readonly value: Operand }
  | { readonly kind: 'rule'; readonly path: readonly string[]; readonly value: Operand };

/** `function`: its arguments arrive in registers 0..n-1; yields conflict as in complete rules. */
export type RuleFnKind = 'complete' | 'set' | 'function' | 'object';

/** One rule document: every definition is a block; `complete` rules conflict on different values. */
export interface RuleFn {
  readonly path: readonly string[];
  readonly kind: RuleFnKind;
  readonly bodies: readonly Block[];
  /** Per body: true when it is an `else` branch of the body before it; it runs only when its
   *  chain (the definition's bodies so far) yielded nothing. Absent: no else branches. */
  readonly elseOf?: readonly boolean[];
  /** The `default` value (complete rules): the rule's value when no body yields. */
  readonly defaultValue?: { readonly const: ConstValue };
  readonly registers: number;
}

/** A named entrypoint that is not a rule (a package or a prefix of rule paths): its document
 *  as the row {"result": value}. */
export interface DocumentEntry {
  readonly name: string;
  readonly code: Block;
  readonly registers: number;
}

export interface PlanIR {
  readonly rules: readonly RuleFn[];
  readonly query: Block;
  readonly queryRegisters: number;
  readonly documents?: readonly DocumentEntry[];
}
