// `certops init`: copies the starter repository (engine/init/template) into a directory, never
// overwriting a file that exists, and makes it a Git repository if it is not one.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { gitFs as fs } from '../util/iso-git.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isoGit } from '../util/iso-git.ts';

const TEMPLATE = fileURLToPath(new URL('./template/', import.meta.url));
/** Template files stored under another name (npm drops files called .gitignore). */
const RENAMES: Record<string, string> = { gitignore: '.gitignore' };

export interface ScaffoldResult {
  created: string[];
  skipped: string[];
  gitInitialised: boolean;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

async function templateFiles(dir = TEMPLATE, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await templateFiles(path.join(dir, e.name), r)));
    else out.push(r);
  }
  return out.sort();
}

export async function scaffold(target: string, opts: { git: boolean }): Promise<ScaffoldResult> {
  const result: ScaffoldResult = { created: [], skipped: [], gitInitialised: false };
  await mkdir(target, { recursive: true });
  for (const rel of await templateFiles()) {
    const dest = RENAMES[rel] ?? rel;
    const abs = path.join(target, dest);
    if (await exists(abs)) {
      result.skipped.push(dest);
      continue;
    }
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, await readFile(path.join(TEMPLATE, rel)), { flag: 'wx' });
    result.created.push(dest);
  }
  if (opts.git && !(await exists(path.join(target, '.git')))) {
    await (await isoGit()).init({ fs, dir: target, defaultBranch: 'main' });
    result.gitInitialised = true;
  }
  return result;
}

export async function isInitialised(target: string): Promise<boolean> {
  return (
    (await exists(path.join(target, 'certs.d'))) ||
    (await exists(path.join(target, 'certops.yaml')))
  );
}
