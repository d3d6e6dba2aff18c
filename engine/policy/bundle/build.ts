// `certops policy build`: policies folder -> bundle.tar.gz, cached by content. Collects the Rego
// files (tests on request) and data.json files, computes the cache key, and on a miss compiles
// with regoc (or `opa build`) and stores the bundle atomically. A hit reads the cached bundle
// back without compiling; a cached file that does not read back is rebuilt.
import path from 'node:path';
import { ExternalError, InvalidInputError } from '../../errors.ts';
import type { CommandRunner } from '../../targets/types.ts';
import { compile } from '../../regoc/index.ts';
import { readBundle, writeBundle, type BundleContents } from './bundle.ts';
import { cacheKey, readCached, writeCached } from './cache.ts';
import { COMPILE_HINT, fromCompiler } from './compile-diagnostics.ts';
import { regocIdentity } from './compiler-id.ts';
import { mergeDataFiles } from './data.ts';
import { collectPolicyFiles, type PolicyFile } from './files.ts';
import type { Manifest } from './manifest.ts';
import { opaBuild, requireOpa } from './opa.ts';
import { findTestRules } from './test-rules.ts';

export const DEFAULT_ENTRYPOINTS: readonly string[] = ['certops/results'];

export interface BuildOptions {
  policyDir: string;
  cacheDir: string;
  compiler?: 'regoc' | 'opa';
  /** Include *_test.rego; the entrypoints are then every test_* rule (plus `entrypoints` if given). */
  tests?: boolean;
  /** Default ['certops/results']. */
  entrypoints?: string[];
  /** Files are named relative to this folder in diagnostics and `files`; default: policyDir's parent. */
  repoRoot?: string;
  /** Runs `opa` for compiler 'opa' (default: the real process runner). */
  runner?: CommandRunner;
}

export interface BuiltBundle {
  wasm: Uint8Array;
  data: unknown;
  manifest: Manifest;
  /** The cache key: sha256 over compiler identity, entrypoints and every input file. */
  hash: string;
  cached: boolean;
  /** Repo-relative Rego files compiled. */
  files: string[];
  /** "pkg/test_name" entrypoints, when tests. */
  tests: string[];
  /** Where each test rule is defined (repo-relative file, 1-based line). */
  testLocations: Record<string, { file: string; line: number }>;
  entrypoints: string[];
  compiler: 'regoc' | 'opa';
  /** `certops-regoc/<version>` (the manifest's metadata.compiler), or `opa version`'s first line. */
  compilerVersion: string;
  /** The bundle.tar.gz. */
  bytes: Uint8Array;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function sourceText(f: PolicyFile): string {
  try {
    return decoder.decode(f.bytes);
  } catch {
    const d = { severity: 'error', code: 'policy-file', file: f.display, line: 0, col: 0 } as const;
    throw new InvalidInputError([{ ...d, path: '', message: 'is not valid UTF-8' }]);
  }
}

function regocBuild(
  rego: readonly PolicyFile[],
  data: Record<string, unknown>,
  entrypoints: readonly string[],
): BundleContents {
  const compiled = compile(
    rego.map((f) => ({ path: f.display, text: sourceText(f) })),
    { entrypoints },
  );
  if (!compiled.ok) {
    const diagnostics = compiled.diagnostics.map((d) => fromCompiler(d, rego[0]?.display ?? ''));
    const n = diagnostics.length;
    throw new InvalidInputError(
      diagnostics,
      `policy compile failed: ${n} error${n === 1 ? '' : 's'}`,
      COMPILE_HINT,
    );
  }
  const sources = rego.map((f) => ({ path: f.rel, text: sourceText(f) }));
  return { manifest: compiled.manifest, wasm: compiled.wasm, data, sources };
}

export async function buildPolicyBundle(opts: BuildOptions): Promise<BuiltBundle> {
  const compiler = opts.compiler ?? 'regoc';
  const tests = opts.tests ?? false;
  const repoRoot = opts.repoRoot ?? path.dirname(path.resolve(opts.policyDir));
  const { rego, data: dataFiles } = await collectPolicyFiles(path.resolve(opts.policyDir), {
    tests,
    repoRoot,
  });
  const testRules = tests
    ? findTestRules(rego.map((f) => ({ path: f.display, text: sourceText(f) })))
    : [];
  const entrypoints = tests
    ? [...(opts.entrypoints ?? []), ...testRules.map((t) => t.name)]
    : [...(opts.entrypoints ?? DEFAULT_ENTRYPOINTS)];
  const identity =
    compiler === 'regoc'
      ? regocIdentity()
      : { compiler: 'opa', version: await requireOpa(opts.runner), runtimeSha256: '' };
  const hash = cacheKey({
    compiler: identity.compiler,
    compilerVersion: identity.version,
    runtimeSha256: identity.runtimeSha256,
    entrypoints,
    files: [...rego, ...dataFiles].map((f) => ({ path: f.display, bytes: f.bytes })),
  });
  const common = {
    hash,
    files: rego.map((f) => f.display),
    tests: testRules.map((t) => t.name),
    testLocations: Object.fromEntries(
      testRules.map((t) => [t.name, { file: t.file, line: t.line }]),
    ),
    entrypoints,
    compiler,
  };

  const hit = await readCached(opts.cacheDir, hash, entrypoints);
  const version = (m: Manifest): string =>
    compiler === 'opa' ? identity.version : String(m.metadata?.compiler ?? 'certops-regoc');
  if (hit) {
    const compilerVersion = version(hit.contents.manifest);
    return { ...common, ...pick(hit.contents), compilerVersion, cached: true, bytes: hit.bytes };
  }

  const merged = mergeDataFiles(
    dataFiles.map((f) => ({ path: f.rel, text: sourceText(f), file: f.display })),
  );
  if (!merged.ok)
    throw new InvalidInputError(
      merged.diagnostics,
      'policy data files conflict or are invalid',
      'Fix the data.json files named above: each value may be set by one file only.',
    );
  let bytes: Uint8Array;
  let contents: BundleContents;
  if (compiler === 'regoc') {
    contents = regocBuild(rego, merged.data, entrypoints);
    bytes = writeBundle(contents);
  } else {
    bytes = await opaBuild(rego, merged.data, entrypoints, opts.runner);
    try {
      contents = readBundle(bytes, { name: 'opa build output' });
    } catch (e) {
      throw new ExternalError('opa build wrote a bundle certops cannot read', { cause: e });
    }
  }
  await writeCached(opts.cacheDir, hash, bytes);
  const compilerVersion = version(contents.manifest);
  return { ...common, ...pick(contents), compilerVersion, cached: false, bytes };
}

const pick = (c: BundleContents): Pick<BuiltBundle, 'wasm' | 'data' | 'manifest'> => ({
  wasm: c.wasm,
  data: c.data,
  manifest: c.manifest,
});
