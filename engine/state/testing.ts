// Test support, imported only by *.test.ts: scratch repositories (made with isomorphic-git, checked
// with the git CLI) and record fixtures.
import { execFileSync } from 'node:child_process';
import { gitFs as fs } from '../util/iso-git.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { fixedClock } from '../clock.ts';
import type { InventoryRecord, JournalStep, Operation } from './types.ts';

export const clock = fixedClock(new Date('2030-01-02T03:04:05Z'));

export interface TestRepo {
  dir: string;
  /** Runs the git CLI in the repository (isolated from user and system config). */
  git(...args: string[]): string;
  /** Runs the git CLI with `input` on stdin. */
  gitIn(input: string | Uint8Array, ...args: string[]): string;
  cleanup(): Promise<void>;
}

/** An empty repository; with `withCommit`, a work tree file committed on main. */
export async function makeRepo(opts: { withCommit?: boolean } = {}): Promise<TestRepo> {
  const dir = await mkdtemp(path.join(tmpdir(), 'certops-state-'));
  await git.init({ fs, dir, defaultBranch: 'main' });
  const gitIn = (input: string | Uint8Array, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
      cwd: dir,
      input,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
  const run = (...args: string[]) => gitIn('', ...args);
  if (opts.withCommit === true) {
    await writeFile(path.join(dir, 'README.md'), '# desired state\n');
    run('add', 'README.md');
    run('commit', '-q', '-m', 'initial');
  }
  return { dir, git: run, gitIn, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Commits `files` (path → content) as the whole tree of `branch` with git plumbing. */
export function commitFiles(
  repo: TestRepo,
  branch: string,
  files: Record<string, string | Uint8Array>,
): string {
  const dirs = new Map<string, string[]>();
  for (const [file, content] of Object.entries(files)) {
    const oid = repo.gitIn(content, 'hash-object', '-w', '--stdin').trim();
    const [top, name] = file.includes('/')
      ? [file.slice(0, file.lastIndexOf('/')), file.slice(file.lastIndexOf('/') + 1)]
      : ['', file];
    dirs.set(top, [...(dirs.get(top) ?? []), `100644 blob ${oid}\t${name}`]);
  }
  const root = dirs.get('') ?? [];
  for (const [top, lines] of dirs) {
    if (top === '') continue;
    if (top.includes('/')) throw new Error('commitFiles supports one directory level');
    const oid = repo.gitIn(lines.join('\n') + '\n', 'mktree').trim();
    root.push(`040000 tree ${oid}\t${top}`);
  }
  const tree = repo.gitIn(root.join('\n') + '\n', 'mktree').trim();
  const parent = repo.git('for-each-ref', '--format=%(objectname)', `refs/heads/${branch}`).trim();
  const sha = repo
    .git(
      'commit-tree',
      tree,
      '-m',
      `write ${Object.keys(files).join(', ')}`,
      ...(parent ? ['-p', parent] : []),
    )
    .trim();
  repo.git('update-ref', `refs/heads/${branch}`, sha);
  return sha;
}

export function record(name: string, over: Partial<InventoryRecord> = {}): InventoryRecord {
  return {
    name,
    state: 'active',
    issuer: 'acme-staging',
    issuerDn: 'CN=Test CA',
    serial: '01ab',
    fingerprintSha256: 'aa'.repeat(32),
    notBefore: '2030-01-01T00:00:00.000Z',
    notAfter: '2030-04-01T00:00:00.000Z',
    dnsNames: [`${name}.example.com`],
    ipAddresses: [],
    keyAlgorithm: 'ECDSA-P256',
    specHash: 'spec',
    keyPolicyHash: 'keypolicy',
    certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    chainPem: '',
    targets: [
      { target: 'web', deployName: name, fingerprintSha256: 'aa'.repeat(32), deployedAt: 'x' },
    ],
    desiredCommit: '',
    operation: 'op-1',
    updatedAt: '2030-01-02T03:04:05.000Z',
    previous: [],
    ...over,
  };
}

export function operation(id: string, certificate: string, steps: JournalStep[]): Operation {
  return {
    id,
    certificate,
    action: 'issue',
    reasons: ['missing'],
    desiredCommit: '',
    events: steps.map((step) => ({ step, at: '2030-01-02T03:04:05.000Z' })),
    closed: steps.some((s) => s === 'recorded' || s === 'failed' || s === 'abandoned'),
  };
}
