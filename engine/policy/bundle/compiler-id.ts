// What identifies the regoc compiler for the bundle cache: certops' version, a digest of the
// compiler's own sources (so a changed compiler never serves stale bundles, even between
// releases) and the runtime's sha256 from runtime.meta.json. Computed once per process.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CompilerIdentity {
  readonly compiler: string;
  readonly version: string;
  readonly runtimeSha256: string;
}

const REGOC_DIR = fileURLToPath(new URL('../../regoc/', import.meta.url));
const PACKAGE_JSON = new URL('../../../package.json', import.meta.url);

let cached: CompilerIdentity | undefined;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) return sourceFiles(abs);
      return /\.(ts|js|json)$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [abs] : [];
    })
    .sort();
}

export function regocIdentity(): CompilerIdentity {
  if (cached) return cached;
  const h = createHash('sha256');
  for (const f of sourceFiles(REGOC_DIR)) {
    h.update(path.relative(REGOC_DIR, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  const { version } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string };
  const meta = JSON.parse(
    readFileSync(path.join(REGOC_DIR, 'runtime', 'runtime.meta.json'), 'utf8'),
  ) as { wasmSha256: string };
  cached = {
    compiler: 'regoc',
    version: `${version}+src.${h.digest('hex').slice(0, 16)}`,
    runtimeSha256: meta.wasmSha256,
  };
  return cached;
}
