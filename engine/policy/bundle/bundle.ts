// Policy bundles: the gzipped tar `opa build -t wasm` writes, holding `/.manifest`,
// `/policy.wasm`, `/data.json` and the Rego sources. writeBundle is deterministic (sorted
// entries, mtime 0, no gzip timestamp or OS byte), so equal inputs give identical bytes.
// readBundle takes untrusted bytes: sizes, entry count and names are limited, links refused,
// the manifest checked against its schema; every problem is an InvalidInputError naming the
// bundle file.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Diagnostic, Severity } from '../../diagnostics.ts';
import type { DiagnosticCode } from '../../diagnostic-codes.ts';
import { InvalidInputError } from '../../errors.ts';
import { isDataFile, mergeDataFiles } from './data.ts';
import { normalizeEntryName } from './entry-name.ts';
import { checkManifest, type Manifest } from './manifest.ts';
import { readTar, TarError, writeTar, type TarEntry } from './tar.ts';

export interface RegoSource {
  /** Bundle-relative, forward slashes: `certops/crypto.rego`. */
  readonly path: string;
  readonly text: string;
}

export interface BundleContents {
  readonly manifest: Manifest;
  readonly wasm: Uint8Array;
  /** The merged data document; `{}` when the bundle has no data. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly sources: readonly RegoSource[];
}

export interface BundleLimits {
  readonly maxCompressedBytes: number;
  readonly maxUncompressedBytes: number;
  readonly maxEntries: number;
  readonly maxEntryBytes: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxCompressedBytes: 32 * 1024 * 1024,
  maxUncompressedBytes: 64 * 1024 * 1024,
  maxEntries: 4096,
  maxEntryBytes: 32 * 1024 * 1024,
};

export const DEFAULT_MODULE = '/policy.wasm';

const enc = new TextEncoder();

/** The bundle's bytes: a gzipped ustar, identical for identical contents. */
export function writeBundle(b: BundleContents): Uint8Array {
  const module = b.manifest.wasm?.[0]?.module ?? DEFAULT_MODULE;
  const entries: TarEntry[] = [
    { name: '/.manifest', data: enc.encode(JSON.stringify(b.manifest)) },
    { name: `/${module.replace(/^\//, '')}`, data: b.wasm },
    { name: '/data.json', data: enc.encode(JSON.stringify(b.data)) },
    ...b.sources.map((s) => ({ name: `/${s.path}`, data: enc.encode(s.text) })),
  ];
  const gz = gzipSync(writeTar(entries), { level: 9 });
  gz[9] = 255; // OS "unknown", as Go writes it: the bytes do not depend on the build platform
  return new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength);
}

export interface ReadBundleOptions {
  /** How errors name the bundle (a repo-relative path); default `bundle.tar.gz`. */
  readonly name?: string;
  readonly limits?: Partial<BundleLimits>;
  /**
   * Check the manifest against its JSON Schema (default true). The cache reads its own bundles
   * with `false`: compiling the schema costs ~0.1 s per process, and a structural check remains.
   */
  readonly schema?: boolean;
}

function fail(name: string, code: DiagnosticCode, message: string, path = ''): never {
  const severity: Severity = 'error';
  const d: Diagnostic = { severity, code, file: name, line: 0, col: 0, path, message };
  throw new InvalidInputError([d], `policy bundle ${name} is invalid: ${message}`);
}

function gunzip(bytes: Uint8Array, name: string, limits: BundleLimits): Uint8Array {
  if (bytes.length > limits.maxCompressedBytes) {
    fail(
      name,
      'bundle-invalid',
      `${bytes.length} bytes exceeds the limit of ${limits.maxCompressedBytes}`,
    );
  }
  try {
    return gunzipSync(bytes, { maxOutputLength: limits.maxUncompressedBytes });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      fail(name, 'bundle-invalid', `unpacks to more than ${limits.maxUncompressedBytes} bytes`);
    }
    fail(name, 'bundle-invalid', `not a gzip file (${(e as Error).message})`);
  }
}

function entries(bytes: Uint8Array, name: string, limits: BundleLimits): Map<string, Uint8Array> {
  let raw: TarEntry[];
  try {
    raw = readTar(gunzip(bytes, name, limits), limits);
  } catch (e) {
    if (!(e instanceof TarError)) throw e;
    fail(name, e.unsafe ? 'bundle-unsafe-entry' : 'bundle-invalid', `tar: ${e.message}`);
  }
  const out = new Map<string, Uint8Array>();
  for (const e of raw) {
    const n = normalizeEntryName(e.name);
    if (!n.ok) fail(name, 'bundle-unsafe-entry', `entry ${JSON.stringify(e.name)} has ${n.why}`);
    if (out.has(n.path)) fail(name, 'bundle-invalid', `entry /${n.path} appears twice`);
    out.set(n.path, e.data);
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(data: Uint8Array, name: string, entry: string): string {
  try {
    return utf8.decode(data);
  } catch {
    return fail(name, 'bundle-invalid', `entry /${entry} is not UTF-8`);
  }
}

/** Without the schema: only what readBundle itself relies on. */
function structural(value: unknown, name: string): Diagnostic[] {
  const wasm = (value as { wasm?: unknown } | null)?.wasm;
  const ok =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (wasm === undefined ||
      (Array.isArray(wasm) &&
        wasm.every(
          (w: unknown) =>
            typeof (w as { entrypoint?: unknown })?.entrypoint === 'string' &&
            typeof (w as { module?: unknown })?.module === 'string',
        )));
  if (ok) return [];
  const message = '.manifest is not an object with wasm [{entrypoint, module}]';
  return [
    { severity: 'error', code: 'bundle-manifest', file: name, line: 0, col: 0, path: '', message },
  ];
}

function readManifest(files: Map<string, Uint8Array>, name: string, schema: boolean): Manifest {
  const raw = files.get('.manifest');
  if (!raw) fail(name, 'bundle-invalid', 'it has no /.manifest');
  let value: unknown;
  try {
    value = JSON.parse(text(raw, name, '.manifest'));
  } catch (e) {
    if (e instanceof InvalidInputError) throw e;
    fail(name, 'bundle-manifest', `/.manifest is not JSON: ${(e as Error).message}`);
  }
  const problems = schema ? checkManifest(value, name) : structural(value, name);
  if (problems.length > 0) {
    throw new InvalidInputError(problems, `policy bundle ${name} has an invalid .manifest`);
  }
  return value as Manifest;
}

/** Reads a bundle written by writeBundle or by `opa build -t wasm`. */
export function readBundle(bytes: Uint8Array, opts: ReadBundleOptions = {}): BundleContents {
  const name = opts.name ?? 'bundle.tar.gz';
  const limits = { ...DEFAULT_BUNDLE_LIMITS, ...opts.limits };
  const files = entries(bytes, name, limits);
  const manifest = readManifest(files, name, opts.schema ?? true);
  const modules = [...new Set((manifest.wasm ?? []).map((w) => w.module.replace(/^\//, '')))];
  // A module without entrypoints (a test build of policies that have no tests) is still a module.
  if (modules.length === 0 && files.has('policy.wasm')) modules.push('policy.wasm');
  if (modules.length === 0) {
    fail(name, 'bundle-invalid', 'it has no wasm module (build with -t wasm)', 'wasm');
  }
  if (modules.length > 1) {
    fail(
      name,
      'bundle-invalid',
      `.manifest names ${modules.length} wasm modules; certops loads one`,
      'wasm',
    );
  }
  const wasm = files.get(modules[0] as string);
  if (!wasm) fail(name, 'bundle-invalid', `its module /${modules[0]} is missing`, 'wasm[0].module');
  const dataFiles = [...files.keys()].filter(isDataFile);
  const yaml = [...files.keys()].find((p) => /(^|\/)data\.ya?ml$/.test(p));
  if (yaml) fail(name, 'bundle-invalid', `/${yaml}: YAML data is not supported; use data.json`);
  const merged = mergeDataFiles(
    dataFiles.map((p) => ({
      path: p,
      text: text(files.get(p) as Uint8Array, name, p),
      file: `${name}:/${p}`,
    })),
  );
  if (!merged.ok)
    throw new InvalidInputError(merged.diagnostics, `policy bundle ${name} has invalid data`);
  const sources = [...files.keys()]
    .filter((p) => p.endsWith('.rego'))
    .sort()
    .map((p) => ({ path: p, text: text(files.get(p) as Uint8Array, name, p) }));
  return { manifest, wasm, data: merged.data, sources };
}
