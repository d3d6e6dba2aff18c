// The repository's policies, ready to evaluate: `policies/` compiled (through the bundle cache)
// and loaded into the OPA SDK with the host builtins. A repository without a `policies/`
// directory has no policy: callers say so instead of failing.
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { InvalidInputError } from '../errors.ts';
import { compile, type Diagnostic as RegoDiagnostic } from '../regoc/index.ts';
import {
  DEFAULT_WAIVER_MAX_DAYS,
  parseResults,
  RESULTS_ENTRYPOINT,
  type PolicyEvaluator,
} from './evaluate.ts';
import { workingTreeReader, type PolicyFileReader } from './sources.ts';
import { loadPolicyBundle, type HostBuiltin, type PolicyBundle } from './loader.ts';

export interface RepoPolicy {
  /** Repository-relative policy directory. */
  dir: string;
  /** Repository-relative .rego files compiled (tests excluded). */
  files: string[];
  /** Content hash of the bundle (the manifest's revision). */
  revision: string;
  bundle: PolicyBundle;
  evaluator: PolicyEvaluator;
  /** data.certops.config.waiver_max_days, or the default. */
  maxWaiverDays: number;
}

export interface RepoPolicyOptions {
  /** Policy directory relative to the repository (default `policies`). */
  dir?: string;
  /** Host builtins by Rego name (the registry in host-builtins.ts). */
  builtins?: Record<string, HostBuiltin>;
}

const isPolicy = (n: string): boolean => n.endsWith('.rego') && !n.endsWith('_test.rego');

export function regoDiagnostics(diags: readonly RegoDiagnostic[], dir: string): Diagnostic[] {
  return diags.map((d) => ({
    severity: 'error',
    code: 'policy-compile',
    file: d.location?.file ?? dir,
    line: d.location?.line ?? 0,
    col: d.location?.col ?? 0,
    path: '',
    message: `${d.code}: ${d.message}`,
    hint:
      d.code === 'REGO_UNSUPPORTED'
        ? 'certops compiles a subset of Rego; rewrite the construct named here (see policies/README.md).'
        : 'Fix the policy, then run `certops policy test`.',
  }));
}

/** Merges `data.json` files: one at the policy root is the data document itself; one in a
 *  subdirectory `a/b/data.json` sits under data.a.b (OPA's bundle rule). */
export async function readPolicyData(
  reader: PolicyFileReader,
  files: readonly string[],
  dir: string,
): Promise<Record<string, unknown>> {
  const data: Record<string, unknown> = {};
  for (const f of files) {
    const text = await reader.read(f);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new InvalidInputError([dataError(f, `not valid JSON: ${(e as Error).message}`)]);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new InvalidInputError([dataError(f, 'must hold a JSON object')]);
    const rel = path.posix.dirname(path.posix.relative(dir, f));
    const at = rel === '.' ? [] : rel.split('/');
    let node = data;
    for (const seg of at) {
      const next = node[seg];
      node = (typeof next === 'object' && next !== null ? next : (node[seg] = {})) as Record<
        string,
        unknown
      >;
    }
    Object.assign(node, value);
  }
  return data;
}

function dataError(file: string, message: string): Diagnostic {
  return { severity: 'error', code: 'policy-data', file, line: 0, col: 0, path: '', message };
}

/** The waiver horizon policy data sets, or the default. */
export function maxWaiverDaysOf(data: Record<string, unknown>): number {
  const certops = data.certops as { config?: { waiver_max_days?: unknown } } | undefined;
  const v = certops?.config?.waiver_max_days;
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : DEFAULT_WAIVER_MAX_DAYS;
}

export function bundleEvaluator(bundle: PolicyBundle): PolicyEvaluator {
  return {
    results(input) {
      return parseResults(
        bundle.evaluate(input, RESULTS_ENTRYPOINT),
        `certificate ${input.certificate.name}`,
      );
    },
  };
}

/** Compiles and loads the repository's policies; undefined when it has no policy files. */
export async function loadRepoPolicy(
  repo: string,
  opts: RepoPolicyOptions = {},
): Promise<RepoPolicy | undefined> {
  return loadPolicyFrom(workingTreeReader(repo), opts);
}

/** As loadRepoPolicy, from any reader (the working tree, or a commit for `policy diff`). */
export async function loadPolicyFrom(
  reader: PolicyFileReader,
  opts: RepoPolicyOptions = {},
): Promise<RepoPolicy | undefined> {
  const dir = opts.dir ?? 'policies';
  const all = await reader.list(dir);
  const files = all.filter((f) => isPolicy(path.posix.basename(f)));
  if (files.length === 0) return undefined;
  const sources = await Promise.all(
    files.map(async (f) => ({ path: f, text: await reader.read(f) })),
  );
  const data = await readPolicyData(
    reader,
    all.filter((f) => path.posix.basename(f) === 'data.json'),
    dir,
  );
  const built = compile(sources, { entrypoints: [RESULTS_ENTRYPOINT] });
  if (!built.ok) throw new InvalidInputError(regoDiagnostics(built.diagnostics, dir));
  const bundle = await loadPolicyBundle({
    wasm: built.wasm,
    data,
    ...(opts.builtins ? { builtins: opts.builtins } : {}),
  });
  return {
    dir,
    files,
    revision: built.manifest.revision,
    bundle,
    evaluator: bundleEvaluator(bundle),
    maxWaiverDays: maxWaiverDaysOf(data),
  };
}
