// Merging data.json files the way OPA loads bundle data: a file at `a/b/data.json` (relative to
// the bundle or policies folder) is the value of `data.a.b`; the root `data.json` must be an
// object and is merged at `data`. Objects merge key by key; any other value set twice, by one
// file or two, is a conflict (OPA: "merge error").
import type { Diagnostic } from '../../diagnostics.ts';

export interface DataFile {
  /** Relative to the data root, forward slashes: `data.json`, `x/y/data.json`. */
  readonly path: string;
  readonly text: string;
  /** How diagnostics name the file (repo-relative path, or `bundle.tar.gz:/data.json`). */
  readonly file: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isDataFile = (rel: string): boolean =>
  rel === 'data.json' || rel.endsWith('/data.json');

/** The file that set `where` or the nearest enclosing value. */
function ownerOf(owner: Map<string, string>, where: string): string {
  for (let p = where; p !== ''; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const f = owner.get(p);
    if (f !== undefined) return f;
  }
  return 'another file';
}

function diag(file: string, message: string, path = ''): Diagnostic {
  return { severity: 'error', code: 'policy-data', file, line: 0, col: 0, path, message };
}

/** Merges `files` (any order; merged in path order). */
export function mergeDataFiles(
  files: readonly DataFile[],
): { ok: true; data: Obj } | { ok: false; diagnostics: Diagnostic[] } {
  const data: Obj = {};
  const owner = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    let value: unknown;
    try {
      value = JSON.parse(f.text.replace(/^\uFEFF/, ''));
    } catch (e) {
      diagnostics.push(diag(f.file, `not valid JSON: ${(e as Error).message}`));
      continue;
    }
    const prefix = f.path.split('/').slice(0, -1);
    if (prefix.length === 0 && !isObj(value)) {
      diagnostics.push(diag(f.file, 'the root data.json must hold a JSON object'));
      continue;
    }
    merge(data, prefix, value, f.file, owner, diagnostics);
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, data };
}

function merge(
  into: Obj,
  at: readonly string[],
  value: unknown,
  file: string,
  owner: Map<string, string>,
  out: Diagnostic[],
): void {
  let node = into;
  for (const [i, key] of at.entries()) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (!isObj(next)) {
      const where = at.slice(0, i + 1).join('.');
      out.push(diag(file, `data.${where} is already set by ${ownerOf(owner, where)}`));
      return;
    }
    node = node[key] as Obj;
  }
  if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) mergeKey(node, [...at], k, v, file, owner, out);
    return;
  }
  // A non-object at a nested path: the parent must not hold anything there yet.
  const parentPath = at.slice(0, -1);
  const last = at[at.length - 1] as string;
  let parent = into;
  for (const k of parentPath) parent = parent[k] as Obj;
  if (Object.keys(parent[last] as Obj).length > 0) {
    out.push(diag(file, `data.${at.join('.')} is already set by ${ownerOf(owner, at.join('.'))}`));
    return;
  }
  parent[last] = value;
  owner.set(at.join('.'), file);
}

function mergeKey(
  node: Obj,
  at: string[],
  key: string,
  value: unknown,
  file: string,
  owner: Map<string, string>,
  out: Diagnostic[],
): void {
  const where = [...at, key].join('.');
  const have = node[key];
  if (have === undefined) {
    node[key] = isObj(value) ? structuredClone(value) : value;
    owner.set(where, file);
  } else if (isObj(have) && isObj(value)) {
    for (const [k, v] of Object.entries(value))
      mergeKey(have, [...at, key], k, v, file, owner, out);
  } else {
    out.push(diag(file, `data.${where} is already set by ${ownerOf(owner, where)}`, where));
  }
}
