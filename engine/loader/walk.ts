// Lists the YAML files under certs.d, refusing what must not be read: symlinks that leave the
// repository, broken links, loops. Hidden entries (dot-files) are skipped.
import type { DiagnosticCode } from '../diagnostic-codes.ts';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';

export interface WalkResult {
  /** Repository-relative paths (forward slashes), sorted. */
  files: string[];
  /** `_defaults.yaml` files, by the repository-relative directory they apply to. */
  defaults: string[];
  diagnostics: Diagnostic[];
}

const YAML_FILE = /\.ya?ml$/;
export const DEFAULTS_FILE = /^_defaults\.ya?ml$/;

export async function walkDesiredState(repoRoot: string, dir = 'certs.d'): Promise<WalkResult> {
  const result: WalkResult = { files: [], defaults: [], diagnostics: [] };
  const realRoot = await realpath(repoRoot);
  const seenDirs = new Set<string>();
  const problem = (file: string, code: DiagnosticCode, message: string, hint: string): void => {
    result.diagnostics.push({
      severity: 'error',
      code,
      file,
      line: 0,
      col: 0,
      path: '',
      message,
      hint,
    });
  };

  async function visit(rel: string): Promise<void> {
    const abs = path.join(repoRoot, rel);
    const real = await realpath(abs);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
      problem(
        rel,
        'symlink-escape',
        'symbolic link leads outside the repository',
        'certs.d may only link to files inside the repository; copy the files in instead.',
      );
      return;
    }
    if (seenDirs.has(real)) {
      problem(
        rel,
        'symlink-loop',
        'directory is reached twice through symbolic links',
        'Remove the link that loops.',
      );
      return;
    }
    seenDirs.add(real);
    const entries = await readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const childRel = `${rel}/${e.name}`;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        const target = await realpath(path.join(repoRoot, childRel)).catch(() => undefined);
        if (target === undefined) {
          problem(
            childRel,
            'symlink-broken',
            'symbolic link points to nothing',
            'Remove the link or fix its target.',
          );
          continue;
        }
        if (target !== realRoot && !target.startsWith(realRoot + path.sep)) {
          problem(
            childRel,
            'symlink-escape',
            'symbolic link leads outside the repository',
            'certs.d may only link to files inside the repository; copy the file in instead.',
          );
          continue;
        }
        const s = await stat(target);
        isDir = s.isDirectory();
        isFile = s.isFile();
      }
      if (isDir) await visit(childRel);
      else if (isFile && YAML_FILE.test(e.name)) {
        (DEFAULTS_FILE.test(e.name) ? result.defaults : result.files).push(childRel);
      }
    }
  }

  const top = await lstat(path.join(repoRoot, dir)).catch(() => undefined);
  if (!top) {
    problem(
      dir,
      'no-desired-state',
      `there is no ${dir}/ folder in the repository`,
      'Run `certops init` to create one, or pass --repo with the repository root.',
    );
    return result;
  }
  await visit(dir);
  return result;
}
