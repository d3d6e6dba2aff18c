// The objects written here must be exactly git's: ids compared with isomorphic-git's own
// writers, and the result checked by the git CLI (cat-file, fsck).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import git from 'isomorphic-git';
import { gitFs as fs } from '../util/iso-git.ts';
import { commitContent, treeContent, writeGitObject } from './git-objects.ts';
import { makeRepo, type TestRepo } from './testing.ts';

describe('git objects', () => {
  let repo: TestRepo;
  let gitdir: string;
  beforeAll(async () => {
    repo = await makeRepo();
    gitdir = `${repo.dir}/.git`;
  });
  afterAll(() => repo.cleanup());

  it('writes blobs, trees and commits with the ids isomorphic-git gives them; git fsck agrees', async () => {
    const text = Buffer.from('{"a":1}\n\u00e9', 'utf8');
    const blob = await writeGitObject(gitdir, 'blob', text);
    expect(blob).toBe(await git.writeBlob({ fs, gitdir, blob: text }));

    // Names that sort differently with and without the directory slash ('a-b' < 'a/' < 'a0').
    const entries = [
      { mode: '100644', path: 'a0', oid: blob, type: 'blob' as const },
      { mode: '100644', path: 'a-b', oid: blob, type: 'blob' as const },
    ];
    const sub = await writeGitObject(gitdir, 'tree', treeContent(entries));
    expect(sub).toBe(await git.writeTree({ fs, gitdir, tree: entries }));
    const rootEntries = [
      { mode: '100644', path: 'a0', oid: blob, type: 'blob' as const },
      { mode: '040000', path: 'a', oid: sub, type: 'tree' as const },
      { mode: '100644', path: 'a-b', oid: blob, type: 'blob' as const },
    ];
    const root = await writeGitObject(gitdir, 'tree', treeContent(rootEntries));
    expect(root).toBe(await git.writeTree({ fs, gitdir, tree: rootEntries }));

    const who = { name: 'certops', email: 'certops@localhost', timestamp: 1_800_000_000 };
    for (const [message, parent] of [
      ['\n\ncertops: issue web: started\r\n\nCertops-Step: started\n\n\n', []],
      ['second', [root.replace(/./g, '0').slice(0, 39) + '1']],
    ] as const) {
      const fields = { tree: root, parent, author: who, committer: who, message };
      const commit = await writeGitObject(gitdir, 'commit', commitContent(fields));
      expect(commit).toBe(
        await git.writeCommit({
          fs,
          gitdir,
          commit: {
            ...fields,
            parent: [...parent],
            author: { ...who, timezoneOffset: 0 },
            committer: { ...who, timezoneOffset: 0 },
          },
        }),
      );
      if (parent.length === 0) {
        expect(repo.git('cat-file', '-t', commit).trim()).toBe('commit');
        expect(repo.git('cat-file', '-p', commit)).toContain(
          'certops: issue web: started\n\nCertops-Step',
        );
        repo.git('update-ref', 'refs/heads/check', commit);
      }
    }
    expect(() => repo.git('fsck', '--strict', '--no-dangling', 'check')).not.toThrow();
    expect(repo.git('ls-tree', '-r', '--name-only', 'check')).toBe('a-b\na/a-b\na/a0\na0\n');
  });
});
