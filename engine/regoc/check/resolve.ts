// Resolution of a set of parsed modules: package paths, imports (aliases), and the rule tree
// under `data` with one kind per path. Contract: never throws; problems are diagnostics.
// Conflicts (OPA's compile-time checks): different kinds at one path ("conflicting rules"),
// functions of different arity, more than one default rule per path.
import type { Import, Module, Rule, RuleRef, Term } from '../syntax/ast.ts';
import type { Location } from '../syntax/location.ts';
import { diag, type CheckDiagnostic } from './diagnostics.ts';

/** complete `p := v`; set `p contains x`; object `p[k] := v`; refhead: any other ref head. */
export type RuleKind = 'complete' | 'set' | 'object' | 'function' | 'refhead';

export interface RuleInfo {
  readonly rule: Rule;
  readonly module: Module;
  readonly kind: RuleKind;
  /** Static path of the rule under data, e.g. ["test", "p"] for data.test.p. */
  readonly path: readonly string[];
  readonly arity: number;
}

export interface ResolvedModule {
  readonly module: Module;
  readonly packagePath: readonly string[];
  /** alias → absolute ref path starting with "data" or "input". */
  readonly imports: ReadonlyMap<string, readonly string[]>;
}

export interface Resolution {
  readonly modules: readonly ResolvedModule[];
  /** "test.p" (dot-joined data path) → the rules defining it, in source order. */
  readonly rules: ReadonlyMap<string, readonly RuleInfo[]>;
  readonly diagnostics: readonly CheckDiagnostic[];
}

export const pathKey = (path: readonly string[]): string => path.join('.');

/** String steps of a ref: `a.b["c"]` → ["a","b","c"]; stops at the first non-string step. */
export function staticPrefix(path: readonly Term[]): string[] {
  const out: string[] = [];
  for (const t of path) {
    if (t.type !== 'string') break;
    out.push(t.value);
  }
  return out;
}

const refNames = (r: RuleRef): string[] => [r.name.name, ...staticPrefix(r.path)];

function ruleKind(rule: Rule): { kind: RuleKind; extra: string[] } {
  const { head } = rule;
  const prefix = staticPrefix(head.ref.path);
  const allStatic = prefix.length === head.ref.path.length;
  if (head.kind === 'function') return { kind: 'function', extra: prefix };
  if (head.kind === 'multi') return { kind: allStatic ? 'set' : 'refhead', extra: prefix };
  if (allStatic) return { kind: 'complete', extra: prefix };
  const lastDynamic = prefix.length === head.ref.path.length - 1;
  return { kind: lastDynamic ? 'object' : 'refhead', extra: prefix };
}

function resolveImports(m: Module, out: CheckDiagnostic[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const imp of m.imports) {
    const path = refNames(imp.path);
    const root = path[0];
    if (root === 'rego' || root === 'future') continue;
    if ((root !== 'data' && root !== 'input') || path.length !== imp.path.path.length + 1) {
      out.push(badImport(imp));
      continue;
    }
    const alias = imp.alias ?? (path.length > 1 ? path[path.length - 1] : root);
    if (alias !== undefined) map.set(alias, path);
  }
  return map;
}

const badImport = (imp: Import): CheckDiagnostic =>
  diag('rego_compile_error', imp.location, 'invalid import: path must begin with input or data');

export function resolve(modules: readonly Module[]): Resolution {
  const diagnostics: CheckDiagnostic[] = [];
  const resolved: ResolvedModule[] = [];
  const rules = new Map<string, RuleInfo[]>();
  for (const m of modules) {
    const pkg = refNames(m.package.path);
    const packagePath = pkg[0] === 'data' ? pkg.slice(1) : pkg;
    resolved.push({ module: m, packagePath, imports: resolveImports(m, diagnostics) });
    for (const rule of m.rules) {
      const { kind, extra } = ruleKind(rule);
      const path = [...packagePath, rule.head.ref.name.name, ...extra];
      const arity = rule.head.args?.length ?? 0;
      const list = rules.get(pathKey(path)) ?? [];
      list.push({ rule, module: m, kind, path, arity });
      rules.set(pathKey(path), list);
    }
  }
  for (const [key, list] of rules) diagnostics.push(...conflicts(key, list));
  return { modules: resolved, rules, diagnostics };
}

function conflicts(key: string, list: readonly RuleInfo[]): CheckDiagnostic[] {
  const out: CheckDiagnostic[] = [];
  const first = list[0];
  if (!first) return out;
  const at = (l: Location): Location => l;
  // refhead rules share a static prefix with differing dynamic tails; OPA checks them later.
  const kinds = new Set(list.map((r) => r.kind));
  if (kinds.size > 1 && !(kinds.size === 2 && kinds.has('refhead') && kinds.has('object'))) {
    out.push(
      diag('rego_type_error', at(first.rule.location), `conflicting rules data.${key} found`),
    );
  } else if (first.kind === 'function' && new Set(list.map((r) => r.arity)).size > 1) {
    out.push(
      diag('rego_type_error', at(first.rule.location), `conflicting rules data.${key} found`),
    );
  }
  const defaults = list.filter((r) => r.rule.isDefault);
  const second = defaults[1];
  if (second) {
    out.push(
      diag('rego_type_error', second.rule.location, `multiple default rules data.${key} found`),
    );
  }
  return out;
}

/** Is `path` (under data) a rule, or a prefix of one (a package or a ref-head branch)? */
export function ruleAt(res: Resolution, path: readonly string[]): readonly RuleInfo[] | undefined {
  return res.rules.get(pathKey(path));
}
