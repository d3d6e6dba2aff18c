// Shared test helpers: run the CLI in-process, make scratch repositories.
import {
  mkdtemp,
  mkdir,
  rm,
  writeFile,
  readdir,
  readFile,
  lstat,
  readlink,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../engine/cli/main.ts';
import { memoryIO } from '../engine/cli/io.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

export async function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; isTTY?: boolean } = {},
) {
  const io = memoryIO({
    cwd: opts.cwd ?? REPO_ROOT,
    env: opts.env ?? {},
    isTTY: opts.isTTY ?? false,
  });
  const code = await main(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** A scratch directory removed by the returned cleanup function. */
export async function scratchDir(
  prefix = 'certops-test-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes files (relative path → content) under dir. */
export async function writeTree(
  dir: string,
  files: Record<string, string | Uint8Array>,
): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    await mkdir(path.dirname(p), { recursive: true });
    await writeFile(p, content);
  }
}

/** Every entry under dir with its content (or link target): a fingerprint of the tree. */
export async function treeFingerprint(dir: string): Promise<string> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    for (const e of (await readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const r = path.join(rel, e.name);
      const st = await lstat(path.join(dir, r));
      if (st.isSymbolicLink()) out.push(`${r} -> ${await readlink(path.join(dir, r))}`);
      else if (st.isDirectory()) await walk(r);
      else
        out.push(
          `${r} ${st.size} ${st.mtimeMs} ${(await readFile(path.join(dir, r))).toString('base64')}`,
        );
    }
  }
  await walk('');
  return out.join('\n');
}

export const MINIMAL_ISSUER = `apiVersion: certops/v1
kind: Issuer
metadata:
  name: private-ca
spec:
  type: ca
`;
