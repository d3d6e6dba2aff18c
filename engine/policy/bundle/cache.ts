// The content-addressed bundle cache: `<cacheDir>/<key>/bundle.tar.gz`. The key is a sha256
// over everything a build depends on (compiler identity, entrypoints, every input file's path
// and bytes), so a hit never needs invalidation. Entries are written atomically; an entry that
// does not read back as a valid bundle is ignored (and later overwritten).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { certopsHome } from '../../crypto/keystore.ts';
import { InvalidInputError } from '../../errors.ts';
import { ensureDir, writeAtomic } from '../../targets/file/atomic.ts';
import { readBundle, type BundleContents } from './bundle.ts';

/** Bumped when the bundle layout written by certops changes. */
const CACHE_FORMAT = 'certops-bundle-cache/1';

export interface CacheKeyInput {
  readonly compiler: string;
  readonly compilerVersion: string;
  readonly runtimeSha256: string;
  readonly entrypoints: readonly string[];
  readonly files: readonly { readonly path: string; readonly bytes: Uint8Array }[];
}

export function cacheKey(k: CacheKeyInput): string {
  const h = createHash('sha256');
  const field = (s: string | Uint8Array): void => {
    const b = typeof s === 'string' ? Buffer.from(s) : s;
    h.update(`${b.length}:`).update(b);
  };
  for (const s of [CACHE_FORMAT, k.compiler, k.compilerVersion, k.runtimeSha256]) field(s);
  field(JSON.stringify(k.entrypoints));
  for (const f of k.files) {
    field(f.path);
    field(f.bytes);
  }
  return h.digest('hex');
}

/** `$CERTOPS_CACHE_DIR` when set, else `<certops home>/cache/policy`. */
export function defaultPolicyCacheDir(
  env: Readonly<Record<string, string | undefined>>,
  homedir: string,
): string {
  const dir = env.CERTOPS_CACHE_DIR;
  return dir ? dir : path.join(certopsHome(env, homedir), 'cache', 'policy');
}

export const cacheFile = (cacheDir: string, key: string): string =>
  path.join(cacheDir, key, 'bundle.tar.gz');

export interface CachedBundle {
  readonly bytes: Uint8Array;
  readonly contents: BundleContents;
}

/** The cached bundle, or undefined when absent or unreadable. */
export async function readCached(
  cacheDir: string,
  key: string,
  entrypoints: readonly string[],
): Promise<CachedBundle | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(cacheFile(cacheDir, key)));
  } catch {
    return undefined;
  }
  try {
    const contents = readBundle(bytes, { name: cacheFile(cacheDir, key), schema: false });
    const have = new Set(contents.manifest.wasm?.map((w) => w.entrypoint));
    return entrypoints.every((e) => have.has(e)) ? { bytes, contents } : undefined;
  } catch (e) {
    if (e instanceof InvalidInputError) return undefined;
    throw e;
  }
}

/**
 * Stores a bundle. The cache only saves time, so a cache that cannot be written (read-only
 * home in a CI sandbox, a full disk) does not fail the build: returns false instead.
 */
export async function writeCached(
  cacheDir: string,
  key: string,
  bytes: Uint8Array,
): Promise<boolean> {
  const file = cacheFile(cacheDir, key);
  try {
    await ensureDir(path.dirname(file));
    await writeAtomic(file, bytes, 0o644);
    return true;
  } catch {
    return false;
  }
}
