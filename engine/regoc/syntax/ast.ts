// The typed Rego AST. Every node has a `location` (its first token). The AST mirrors the source:
// no desugaring beyond folding a "-" sign into number literals and dot access into string keys.
import type { Location } from './location.ts';

interface Node {
  readonly location: Location;
}

// ---- terms ----------------------------------------------------------------------------------

export interface NullTerm extends Node {
  readonly type: 'null';
}
export interface BooleanTerm extends Node {
  readonly type: 'boolean';
  readonly value: boolean;
}
/** `text` is the source text including a leading "-"; never converted to a JS number here. */
export interface NumberTerm extends Node {
  readonly type: 'number';
  readonly text: string;
}
/** `raw` marks a backtick string. A `.name` ref step is a StringTerm with `dot: true`. */
export interface StringTerm extends Node {
  readonly type: 'string';
  readonly value: string;
  readonly raw: boolean;
  readonly dot?: true;
}
/** A variable; `_` is the wildcard. `input` and `data` are ordinary vars at this level. */
export interface VarTerm extends Node {
  readonly type: 'var';
  readonly name: string;
}
/** `head` followed by at least one step (`.b` or `[term]`), e.g. `input.a[i]`, `[1, 2][_]`. */
export interface RefTerm extends Node {
  readonly type: 'ref';
  readonly head: Term;
  readonly path: readonly Term[];
}
export interface ArrayTerm extends Node {
  readonly type: 'array';
  readonly items: readonly Term[];
}
/** `set()` and `{a, b}`. An empty `{}` is an ObjectTerm. */
export interface SetTerm extends Node {
  readonly type: 'set';
  readonly items: readonly Term[];
}
export interface ObjectEntry {
  readonly key: Term;
  readonly value: Term;
}
export interface ObjectTerm extends Node {
  readonly type: 'object';
  readonly entries: readonly ObjectEntry[];
}
export interface ArrayComprehension extends Node {
  readonly type: 'arraycomp';
  readonly head: Term;
  readonly body: Query;
}
export interface SetComprehension extends Node {
  readonly type: 'setcomp';
  readonly head: Term;
  readonly body: Query;
}
export interface ObjectComprehension extends Node {
  readonly type: 'objectcomp';
  readonly key: Term;
  readonly value: Term;
  readonly body: Query;
}
/** `name(args)`; `callee` is a var (`count`) or a ref of dot steps (`time.parse_rfc3339_ns`,
 * `data.pkg.f`). Output-argument forms (`count(x, n)`) are just one argument more. */
export interface CallTerm extends Node {
  readonly type: 'call';
  readonly callee: VarTerm | RefTerm;
  readonly args: readonly Term[];
}
export type InfixOp =
  '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | '&' | '|';
export interface InfixTerm extends Node {
  readonly type: 'infix';
  readonly op: InfixOp;
  readonly left: Term;
  readonly right: Term;
}
/** `value in collection` or `key, value in collection` as a boolean expression. */
export interface MembershipTerm extends Node {
  readonly type: 'in';
  readonly key: Term | null;
  readonly value: Term;
  readonly collection: Term;
}

export type Term =
  | NullTerm
  | BooleanTerm
  | NumberTerm
  | StringTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | SetTerm
  | ObjectTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm
  | InfixTerm
  | MembershipTerm;

// ---- bodies ---------------------------------------------------------------------------------

/** `left := right` (op ':=') or `left = right` (op '=', unification). */
export interface AssignExpr extends Node {
  readonly type: 'assign';
  readonly op: ':=' | '=';
  readonly left: Term;
  readonly right: Term;
}
export interface TermExpr extends Node {
  readonly type: 'term';
  readonly term: Term;
}
/** `some x, y` */
export interface SomeDecl extends Node {
  readonly type: 'some';
  readonly vars: readonly VarTerm[];
}
/** `some v in xs` / `some k, v in xs`; key and value may be patterns (any term). */
export interface SomeIn extends Node {
  readonly type: 'somein';
  readonly key: Term | null;
  readonly value: Term;
  readonly collection: Term;
}
export interface EveryExpr extends Node {
  readonly type: 'every';
  readonly key: VarTerm | null;
  readonly value: VarTerm;
  readonly collection: Term;
  readonly body: Query;
}
export type Expr = AssignExpr | TermExpr | SomeDecl | SomeIn | EveryExpr;

export interface WithModifier extends Node {
  readonly target: Term;
  readonly value: Term;
}
/** One body element. `negated` is `not …` (never set on some/every). */
export interface Literal extends Node {
  readonly negated: boolean;
  readonly expr: Expr;
  readonly with: readonly WithModifier[];
}
export interface Query extends Node {
  readonly literals: readonly Literal[];
}

// ---- modules --------------------------------------------------------------------------------

/** The rule's name and path: `p` → name p, path []; `a.b[c]` → name a, path ["b", c]. */
export interface RuleRef extends Node {
  readonly name: VarTerm;
  readonly path: readonly Term[];
}
/**
 * kind 'single': `ref [:= value]` (value null means true).
 * kind 'multi': `ref contains key`, or pre-1.0 `p[key] { … }` (then `legacySet` is true).
 * kind 'function': `ref(args) [:= value]`.
 */
export interface RuleHead extends Node {
  readonly kind: 'single' | 'multi' | 'function';
  readonly ref: RuleRef;
  readonly args: readonly Term[] | null;
  readonly key: Term | null;
  readonly value: Term | null;
  readonly assign: ':=' | '=' | null;
  readonly legacySet: boolean;
}
/** `else [:= value] [if] { body }`; a null body is always true, a null value means true. */
export interface ElseClause extends Node {
  readonly value: Term | null;
  readonly assign: ':=' | '=' | null;
  readonly body: Query | null;
}
/** `bodyStyle`: 'if' (v1), 'braces' (pre-1.0 `p { … }`, compat only), 'none' (no body). */
export interface Rule extends Node {
  readonly isDefault: boolean;
  readonly head: RuleHead;
  readonly body: Query | null;
  readonly bodyStyle: 'if' | 'braces' | 'none';
  readonly elses: readonly ElseClause[];
}
export interface Package extends Node {
  readonly path: RuleRef;
}
/** `import data.x as y`, `import rego.v1`, `import future.keywords.in`. */
export interface Import extends Node {
  readonly path: RuleRef;
  readonly alias: string | null;
}
export interface Module extends Node {
  readonly file: string;
  readonly package: Package;
  readonly imports: readonly Import[];
  readonly rules: readonly Rule[];
}
