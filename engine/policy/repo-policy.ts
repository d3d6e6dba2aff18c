// The repository's policies, ready to evaluate: `policies/` built into a bundle (through the
// content-hash cache, bundle/build.ts) and loaded into the OPA SDK with the host builtins and
// the injected clock. A repository without policy files has no policy: callers say so instead
// of failing. `loadPolicyFrom` does the same for policies read from a commit (policy diff).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildPolicyBundle, type BuiltBundle } from './bundle/build.ts';
import {
  DEFAULT_WAIVER_MAX_DAYS,
  parseResults,
  RESULTS_ENTRYPOINT,
  type PolicyEvaluator,
} from './evaluate.ts';
import { loadPolicyBundle, type PolicyBundle } from './loader.ts';
import { workingTreeReader, type PolicyFileReader } from './sources.ts';

export interface RepoPolicy {
  /** Repository-relative policy directory. */
  dir: string;
  /** Repository-relative .rego files compiled (tests excluded). */
  files: string[];
  /** The bundle's content hash (its cache key). */
  revision: string;
  /** Whether the bundle came from the cache. */
  cached: boolean;
  bundle: PolicyBundle;
  evaluator: PolicyEvaluator;
  /** data.certops.config.waiver_max_days, or the default. */
  maxWaiverDays: number;
}

export interface RepoPolicyOptions {
  /** Policy directory relative to the repository (default `policies`). */
  dir?: string;
  /** Where built bundles are cached (bundle/cache.ts defaultPolicyCacheDir). */
  cacheDir: string;
  /** The clock time.now_ns reads (the command's --now). */
  now?: () => Date;
}

const isPolicy = (f: string): boolean => f.endsWith('.rego') && !f.endsWith('_test.rego');

/** The waiver horizon policy data sets, or the default. */
export function maxWaiverDaysOf(data: unknown): number {
  const certops = (data as { certops?: { config?: { waiver_max_days?: unknown } } } | undefined)
    ?.certops;
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

async function loaded(
  built: BuiltBundle,
  dir: string,
  opts: RepoPolicyOptions,
): Promise<RepoPolicy> {
  const bundle = await loadPolicyBundle({
    wasm: built.wasm,
    data: built.data,
    ...(opts.now ? { now: opts.now } : {}),
  });
  return {
    dir,
    files: built.files,
    revision: built.hash,
    cached: built.cached,
    bundle,
    evaluator: bundleEvaluator(bundle),
    maxWaiverDays: maxWaiverDaysOf(built.data),
  };
}

/** Builds and loads the repository's policies; undefined when it has no policy files. */
export async function loadRepoPolicy(
  repo: string,
  opts: RepoPolicyOptions,
): Promise<RepoPolicy | undefined> {
  const dir = opts.dir ?? 'policies';
  const files = await workingTreeReader(repo).list(dir);
  if (!files.some(isPolicy)) return undefined;
  const built = await buildPolicyBundle({
    policyDir: path.join(repo, dir),
    cacheDir: opts.cacheDir,
    repoRoot: repo,
  });
  return loaded(built, dir, opts);
}

/**
 * As loadRepoPolicy, from any reader (a commit, for `policy diff`): the policy files are
 * written to a private temporary folder and built from there, so the build, its diagnostics
 * (named as in the repository) and the cache are the same as for the working tree.
 */
export async function loadPolicyFrom(
  reader: PolicyFileReader,
  opts: RepoPolicyOptions,
): Promise<RepoPolicy | undefined> {
  const dir = opts.dir ?? 'policies';
  const files = (await reader.list(dir)).filter(
    (f) => f.endsWith('.rego') || path.posix.basename(f) === 'data.json',
  );
  if (!files.some(isPolicy)) return undefined;
  const root = await mkdtemp(path.join(tmpdir(), 'certops-policy-'));
  try {
    for (const f of files) {
      const abs = path.join(root, f);
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, await reader.read(f));
    }
    const built = await buildPolicyBundle({
      policyDir: path.join(root, dir),
      cacheDir: opts.cacheDir,
      repoRoot: root,
    });
    return await loaded(built, dir, opts);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
