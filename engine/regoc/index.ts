// The compiler's public entry (design §4): Rego sources -> an OPA-ABI 1.2 wasm module and its
// bundle manifest. parse -> check -> lower -> link. Contract: compile never throws for bad
// Rego; it returns located diagnostics. Codes: `rego_parse_error`, the checker's OPA codes,
// `REGO_UNSUPPORTED` (valid Rego regoc refuses), `REGO_ENTRYPOINT` (an entrypoint names no
// rule). Nothing else of the compiler is exported; cli/ and policy/ import only this file.
import { createHash } from 'node:crypto';
import { EntrypointError, planFromIR } from './backend/from-ir.ts';
import { linkPlan } from './backend/link.ts';
import { readMemoryImport } from './backend/splice.ts';
import { check } from './check/check.ts';
import { lowerPlan } from './plan/lower.ts';
import { loadRuntime } from './runtime/runtime.ts';
import type { Module, Query } from './syntax/ast.ts';
import type { RegoSyntaxError } from './syntax/errors.ts';
import type { Location } from './syntax/location.ts';
import { parseModule, parseQuery } from './syntax/parser.ts';

const REGOC_VERSION = '0.1.0';

/** The entrypoint name of `opts.query`; its result rows are objects of the query's variables. */
const QUERY_ENTRYPOINT = 'query';

export interface CompileSource {
  readonly path: string;
  readonly text: string;
}

export interface CompileOptions {
  /** "pkg/rule" names; each evaluates to `[{"result": value}]`, or `[]` when undefined. */
  readonly entrypoints: readonly string[];
  /** Accept pre-1.0 rule bodies without `if` (the conformance runner sets this). */
  readonly compat?: boolean;
  /** OPA's strict builtin errors: recorded in the manifest and in the module (a builtin error
   *  stops the evaluation instead of making the call undefined). */
  readonly strict?: boolean;
  /** A query compiled as the extra entrypoint "query": one row of bindings per solution
   *  (variables starting with `$` and `_` are omitted). */
  readonly query?: string;
}

export interface Diagnostic {
  readonly code: string;
  readonly message: string;
  readonly location?: Location;
}

export interface Manifest {
  readonly revision: string;
  readonly roots: readonly string[];
  readonly wasm: readonly { readonly entrypoint: string; readonly module: string }[];
  readonly metadata: {
    readonly compiler: string;
    readonly runtime_sha256: string;
    readonly abi: string;
    readonly memory_pages: number;
    readonly strict: boolean;
  };
}

export type CompileResult =
  | { readonly ok: true; readonly wasm: Uint8Array; readonly manifest: Manifest }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const syntaxDiagnostics = (errors: readonly RegoSyntaxError[]): Diagnostic[] =>
  errors.map((e) => ({
    code: e.code === 'REGO_PARSE' ? 'rego_parse_error' : 'REGO_UNSUPPORTED',
    message: e.detail,
    location: e.location,
  }));

export function compile(sources: readonly CompileSource[], opts: CompileOptions): CompileResult {
  const compat = opts.compat ?? false;
  const modules: Module[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const s of sources) {
    const r = parseModule(s.text, { file: s.path, compat });
    if (r.ok) modules.push(r.value);
    else diagnostics.push(...syntaxDiagnostics(r.errors));
  }
  let query: Query | undefined;
  if (opts.query !== undefined) {
    const q = parseQuery(opts.query, { file: 'query.rego', compat });
    if (q.ok) query = q.value;
    else diagnostics.push(...syntaxDiagnostics(q.errors));
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };

  const checked = check(modules, query);
  if (checked.diagnostics.length > 0) return { ok: false, diagnostics: checked.diagnostics };
  const lowered = lowerPlan(checked.resolution, query, opts.entrypoints);
  if (!lowered.ok) {
    return {
      ok: false,
      diagnostics: [{ code: lowered.code, message: lowered.message, location: lowered.location }],
    };
  }
  let wasm: Uint8Array;
  try {
    const plan = planFromIR(
      lowered.plan,
      opts.entrypoints,
      query ? QUERY_ENTRYPOINT : undefined,
      opts.strict ?? false,
    );
    wasm = linkPlan(plan);
  } catch (e) {
    if (!(e instanceof EntrypointError)) throw e;
    return { ok: false, diagnostics: [{ code: 'REGO_ENTRYPOINT', message: e.message }] };
  }
  const roots = checked.resolution.modules.map((m) => m.packagePath[0] ?? '');
  return { ok: true, wasm, manifest: manifest(sources, opts, roots, wasm) };
}

function manifest(
  sources: readonly CompileSource[],
  opts: CompileOptions,
  packageRoots: readonly string[],
  wasm: Uint8Array,
): Manifest {
  const runtimeSha = loadRuntime().meta.wasmSha256;
  const hash = createHash('sha256').update(REGOC_VERSION).update('\0').update(runtimeSha);
  hash.update('\0').update(JSON.stringify({ ...opts, entrypoints: [...opts.entrypoints] }));
  for (const s of [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)))
    hash.update('\0').update(s.path).update('\0').update(s.text);
  const roots = new Set(packageRoots.filter((r) => r !== ''));
  const mem = readMemoryImport(wasm);
  return {
    revision: hash.digest('hex'),
    roots: [...roots].sort(),
    wasm: [...opts.entrypoints, ...(opts.query !== undefined ? [QUERY_ENTRYPOINT] : [])].map(
      (entrypoint) => ({ entrypoint, module: '/policy.wasm' }),
    ),
    metadata: {
      compiler: `certops-regoc/${REGOC_VERSION}`,
      runtime_sha256: runtimeSha,
      abi: '1.2',
      memory_pages: mem?.minPages ?? 0,
      strict: opts.strict ?? false,
    },
  };
}
