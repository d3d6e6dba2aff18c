// Loose Git objects for the state branch, hashed and compressed here and stored through
// isomorphic-git's writeObject (format 'deflated'). isomorphic-git's own writeBlob/writeTree/
// writeCommit hash with WebCrypto and deflate through web streams: two thread-pool round
// trips and a stream pipeline per object, which made state commits the CPU hot spot of a
// concurrent apply. Contract: the encodings are git's canonical ones (byte-identical to what
// isomorphic-git and git write; tests compare the ids), so `git fsck` and every reader agree.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { TreeEntry } from 'isomorphic-git';
import { gitFs as fs, isoGit } from '../util/iso-git.ts';

export interface GitPerson {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
}

export interface CommitFields {
  tree: string;
  parent: readonly string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
}

/** Tree entry order: by name, a directory as if its name ended in '/'. */
function sortKey(e: TreeEntry): string {
  return e.mode === '040000' ? `${e.path}/` : e.path;
}

export function treeContent(entries: readonly TreeEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => {
    const x = sortKey(a);
    const y = sortKey(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return Buffer.concat(
    sorted.flatMap((e) => [
      Buffer.from(`${e.mode.replace(/^0/, '')} ${e.path}\0`, 'utf8'),
      Buffer.from(e.oid, 'hex'),
    ]),
  );
}

function person(p: GitPerson): string {
  return `${p.name} <${p.email}> ${p.timestamp} +0000`;
}

/** The message as git stores it: no CR, no leading blank lines, exactly one final newline. */
function normalizeMessage(m: string): string {
  return `${m.replace(/\r/g, '').replace(/^\n+/, '').replace(/\n+$/, '')}\n`;
}

export function commitContent(c: CommitFields): Buffer {
  const headers = [
    `tree ${c.tree}`,
    ...c.parent.map((p) => `parent ${p}`),
    `author ${person(c.author)}`,
    `committer ${person(c.committer)}`,
  ];
  return Buffer.from(`${headers.join('\n')}\n\n${normalizeMessage(c.message)}`, 'utf8');
}

/** Stores one object (unless present) and returns its id. */
export async function writeGitObject(
  gitdir: string,
  type: 'blob' | 'tree' | 'commit',
  content: Buffer,
): Promise<string> {
  const wrapped = Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]);
  const oid = createHash('sha1').update(wrapped).digest('hex');
  await (
    await isoGit()
  ).writeObject({ fs, gitdir, type, object: deflateSync(wrapped), format: 'deflated', oid });
  return oid;
}
