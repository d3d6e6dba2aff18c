// The inputs of a policy build: every `*.rego` (tests only on request) and every `data.json`
// under the policies folder, sorted by path. Dot-folders and node_modules are skipped; a
// symbolic link is refused, so a pull request cannot pull files from outside the folder into a
// bundle.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../../diagnostics.ts';
import { InvalidInputError } from '../../errors.ts';

export interface PolicyFile {
  /** Relative to the policies folder, forward slashes. */
  readonly rel: string;
  /** How diagnostics and the compiler name it: relative to the repository when inside it. */
  readonly display: string;
  readonly bytes: Uint8Array;
}

export interface PolicyFiles {
  readonly rego: readonly PolicyFile[];
  readonly data: readonly PolicyFile[];
}

export const isTestFile = (rel: string): boolean => rel.endsWith('_test.rego');

const toPosix = (p: string): string => p.split(path.sep).join('/');

export function displayPath(abs: string, repoRoot: string): string {
  const rel = path.relative(repoRoot, abs);
  return toPosix(rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel);
}

async function walk(dir: string, root: string, out: string[], links: string[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isSymbolicLink()) links.push(abs);
    else if (e.isDirectory()) {
      if (!e.name.startsWith('.') && e.name !== 'node_modules') await walk(abs, root, out, links);
    } else if (e.isFile() && (e.name.endsWith('.rego') || e.name === 'data.json')) out.push(abs);
  }
}

export async function collectPolicyFiles(
  policyDir: string,
  opts: { tests: boolean; repoRoot: string },
): Promise<PolicyFiles> {
  const found: string[] = [];
  const links: string[] = [];
  try {
    await walk(policyDir, policyDir, found, links);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    throw new InvalidInputError(
      [diag(displayPath(policyDir, opts.repoRoot), 'the policies folder does not exist')],
      `no policies folder at ${displayPath(policyDir, opts.repoRoot)}`,
      'Pass --policies <dir>, or run from the repository root.',
    );
  }
  if (links.length > 0) {
    throw new InvalidInputError(
      links.map((l) =>
        diag(
          displayPath(l, opts.repoRoot),
          'is a symbolic link; policy files must be regular files',
        ),
      ),
    );
  }
  const files = await Promise.all(
    found.map(async (abs) => ({
      rel: toPosix(path.relative(policyDir, abs)),
      display: displayPath(abs, opts.repoRoot),
      bytes: new Uint8Array(await readFile(abs)),
    })),
  );
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return {
    rego: files.filter((f) => f.rel.endsWith('.rego') && (opts.tests || !isTestFile(f.rel))),
    data: files.filter((f) => f.rel.endsWith('data.json')),
  };
}

function diag(file: string, message: string): Diagnostic {
  return { severity: 'error', code: 'policy-file', file, line: 0, col: 0, path: '', message };
}
