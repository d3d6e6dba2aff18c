// Where policy files are read from: the working tree, or a commit (for `policy diff --base`).
// Both readers list repository-relative paths under a directory, sorted, and read them as
// UTF-8. Symlinks are not followed (a policy file must be a regular file or blob).
import type * as fs from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReadCommitResult } from 'isomorphic-git';
import { gitFs, isoGit } from '../util/iso-git.ts';
import { UsageError } from '../errors.ts';

export interface PolicyFileReader {
  /** What the reader reads, for messages: `working tree` or `<ref> (<short sha>)`. */
  readonly label: string;
  /** Repository-relative files under `dir` (recursively), sorted; [] when `dir` is absent. */
  list(dir: string): Promise<string[]>;
  read(file: string): Promise<string>;
}

export function workingTreeReader(repo: string): PolicyFileReader {
  return {
    label: 'working tree',
    async list(dir) {
      const out: string[] = [];
      const walk = async (rel: string): Promise<void> => {
        let entries: fs.Dirent[];
        try {
          entries = await readdir(path.join(repo, rel), { withFileTypes: true });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT' && rel === dir) return;
          throw e;
        }
        for (const e of entries) {
          const child = path.posix.join(rel, e.name);
          if (e.isDirectory()) await walk(child);
          else if (e.isFile()) out.push(child);
        }
      };
      await walk(dir);
      return out.sort();
    },
    read: (file) => readFile(path.join(repo, file), 'utf8'),
  };
}

/**
 * Resolves `ref` as git does for the common forms: a branch, tag, remote branch, HEAD, a full or
 * abbreviated commit id, each optionally followed by `~N` / `^` (first parents).
 */
export async function resolveCommit(repo: string, ref: string): Promise<string> {
  const gitdir = path.join(repo, '.git');
  const m = /^(.*?)((?:~\d*|\^)*)$/.exec(ref);
  const base = m?.[1] ?? ref;
  let oid: string | undefined;
  try {
    oid = await (await isoGit()).resolveRef({ fs: gitFs, gitdir, ref: base });
  } catch {
    if (/^[0-9a-f]{4,40}$/i.test(base)) {
      try {
        oid = await (await isoGit()).expandOid({ fs: gitFs, gitdir, oid: base.toLowerCase() });
      } catch {
        oid = undefined;
      }
    }
  }
  if (!oid) throw badRef(ref);
  let at: string = oid;
  const steps = [...(m?.[2] ?? '').matchAll(/~(\d*)|\^/g)].reduce(
    (n, s) => n + (s[0] === '^' ? 1 : s[1] === '' ? 1 : Number(s[1])),
    0,
  );
  for (let i = 0; i < steps; i++) {
    const read: ReadCommitResult = await (
      await isoGit()
    )
      .readCommit({ fs: gitFs, gitdir, oid: at })
      .catch(() => {
        throw badRef(ref);
      });
    const parent: string | undefined = read.commit.parent[0];
    if (!parent) throw badRef(ref);
    at = parent;
  }
  // readCommit peels an annotated tag to its commit; anything else is not a commit.
  try {
    return (await (await isoGit()).readCommit({ fs: gitFs, gitdir, oid: at })).oid;
  } catch {
    throw badRef(ref);
  }
}

function badRef(ref: string): UsageError {
  return new UsageError(
    `--base ${JSON.stringify(ref)} is not a commit in this repository`,
    'Give a branch (main, origin/main), a tag, a commit id, or HEAD~1; fetch it first if it is remote.',
  );
}

export async function commitReader(repo: string, ref: string): Promise<PolicyFileReader> {
  const gitdir = path.join(repo, '.git');
  const oid = await resolveCommit(repo, ref);
  const cache = {};
  const blobs = new Map<string, string>();
  return {
    label: `${ref} (${oid.slice(0, 12)})`,
    async list(dir) {
      const out: string[] = [];
      const walk = async (treeOid: string, rel: string): Promise<void> => {
        const { tree } = await (
          await isoGit()
        ).readTree({ fs: gitFs, gitdir, oid: treeOid, cache });
        for (const e of tree) {
          const child = rel === '' ? e.path : `${rel}/${e.path}`;
          if (e.type === 'tree') await walk(e.oid, child);
          else if (e.type === 'blob' && e.mode !== '120000') {
            out.push(child);
            blobs.set(child, e.oid);
          }
        }
      };
      const { commit } = await (await isoGit()).readCommit({ fs: gitFs, gitdir, oid, cache });
      let treeOid = commit.tree;
      for (const seg of dir.split('/').filter((s) => s !== '')) {
        const { tree } = await (
          await isoGit()
        ).readTree({ fs: gitFs, gitdir, oid: treeOid, cache });
        const next = tree.find((e) => e.path === seg && e.type === 'tree');
        if (!next) return [];
        treeOid = next.oid;
      }
      await walk(treeOid, dir.replace(/\/+$/, ''));
      return out.sort();
    },
    async read(file) {
      const blob = blobs.get(file);
      if (!blob) throw new Error(`${file} is not in ${ref}`);
      const { blob: bytes } = await (
        await isoGit()
      ).readBlob({ fs: gitFs, gitdir, oid: blob, cache });
      return new TextDecoder().decode(bytes);
    },
  };
}
