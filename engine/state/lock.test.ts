import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockHeldError, UsageError, exitCodeFor } from '../errors.ts';
import { acquireLock, takeOver } from './lock.ts';
import { formatLockInfo, isStale, parseLockInfo } from './lock-info.ts';
import type { TestRepo } from './testing.ts';
import { clock, makeRepo } from './testing.ts';

let repo: TestRepo;
let lockPath: string;
beforeEach(async () => {
  repo = await makeRepo();
  lockPath = path.join(repo.dir, '.git', 'certops.lock');
});
afterEach(() => repo.cleanup());

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid ?? 0;
}

describe('acquireLock', () => {
  it('creates .git/certops.lock with the holder and refuses a second apply (exit 6)', async () => {
    const lock = await acquireLock({ dir: repo.dir, owner: 'apply by ci', clock });
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toEqual({
      owner: 'apply by ci',
      pid: process.pid,
      hostname: hostname(),
      since: '2030-01-02T03:04:05.000Z',
    });
    expect(lock.staleFrom).toBeUndefined();
    const err = await acquireLock({ dir: repo.dir, owner: 'other', clock }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LockHeldError);
    expect(exitCodeFor(err)).toBe(6);
    expect((err as LockHeldError).message).toBe(
      `the apply lock is held by apply by ci (pid ${process.pid} on ${hostname()}) since 2030-01-02T03:04:05.000Z`,
    );
    expect((err as LockHeldError).hint).toContain(`remove ${lockPath} if you are sure`);
    await lock.release();
    await expect(readFile(lockPath)).rejects.toThrow(/ENOENT/);
    const again = await acquireLock({ dir: repo.dir, owner: 'other', clock });
    await again.release();
  });

  it('takes over a lock left by a dead process on this host and says so', async () => {
    const stale = {
      owner: 'crashed',
      pid: deadPid(),
      hostname: hostname(),
      since: '2029-12-31T00:00:00Z',
    };
    await writeFile(lockPath, formatLockInfo(stale));
    const lock = await acquireLock({ dir: repo.dir, owner: 'me', clock });
    expect(lock.staleFrom).toEqual(stale);
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({
      owner: 'me',
      pid: process.pid,
    });
    await lock.release();
  });

  it('lets exactly one of several contenders take over a stale lock', async () => {
    const stale = { owner: 'crashed', pid: deadPid(), hostname: hostname(), since: 's' };
    await writeFile(lockPath, formatLockInfo(stale));
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((n) =>
        acquireLock({
          dir: repo.dir,
          owner: `c${n}`,
          clock,
          pid: process.pid + n,
          isAlive: (p) => p !== stale.pid,
        }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winner = won[0]?.status === 'fulfilled' ? won[0].value : undefined;
    expect(winner?.staleFrom).toEqual(stale);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LockHeldError);
    const holder = parseLockInfo(await readFile(lockPath, 'utf8'));
    expect(holder?.pid).toBe(process.pid + results.indexOf(won[0]!) + 1);
  });

  it('a contender that judged an older stale lock never removes a newer live one', async () => {
    const stale = formatLockInfo({ owner: 'old', pid: 1, hostname: 'h', since: 's' });
    const live = formatLockInfo({ owner: 'new', pid: 2, hostname: 'h', since: 't' });
    await writeFile(lockPath, live);
    expect(await takeOver(lockPath, stale, 'mine')).toBe(false);
    expect(await readFile(lockPath, 'utf8')).toBe(live);
    await writeFile(`${lockPath}.takeover`, 'other contender');
    await writeFile(lockPath, stale);
    expect(await takeOver(lockPath, stale, 'mine')).toBe(false);
    expect(await readFile(lockPath, 'utf8')).toBe(stale);
  });

  it.each([
    ['another host', () => ({ owner: 'x', pid: deadPid(), hostname: 'elsewhere', since: 's' })],
    ['a live process', () => ({ owner: 'x', pid: process.ppid, hostname: hostname(), since: 's' })],
  ])('never takes over a lock held on %s', async (_label, holder) => {
    await writeFile(lockPath, formatLockInfo(holder()));
    await expect(acquireLock({ dir: repo.dir, owner: 'me', clock })).rejects.toThrow(LockHeldError);
  });

  it('treats an unreadable lock file as held', async () => {
    await writeFile(lockPath, '');
    await expect(acquireLock({ dir: repo.dir, owner: 'me', clock })).rejects.toThrow(/unreadable/);
    expect(await readFile(lockPath, 'utf8')).toBe('');
  });

  it('release removes only its own lock', async () => {
    const lock = await acquireLock({ dir: repo.dir, owner: 'me', clock });
    const theirs = formatLockInfo({ owner: 'them', pid: 1, hostname: 'h', since: 's' });
    await writeFile(lockPath, theirs);
    await lock.release();
    expect(await readFile(lockPath, 'utf8')).toBe(theirs);
  });

  it('needs a repository', async () => {
    await repo.cleanup();
    await expect(acquireLock({ dir: repo.dir, owner: 'me', clock })).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});

describe('lock content', () => {
  it('parses only well-formed holders', () => {
    const info = { owner: 'o', pid: 42, hostname: 'h', since: 's' };
    expect(parseLockInfo(formatLockInfo(info))).toEqual(info);
    for (const bad of ['', 'null', '{}', '{"owner":"o","pid":-1,"hostname":"h","since":"s"}']) {
      expect(parseLockInfo(bad)).toBeNull();
    }
  });

  it('is stale only for a dead pid on the same host', () => {
    const info = { owner: 'o', pid: 42, hostname: 'h', since: 's' };
    const dead = () => false;
    expect(isStale(info, { hostname: 'h', isAlive: dead })).toBe(true);
    expect(isStale(info, { hostname: 'other', isAlive: dead })).toBe(false);
    expect(isStale(info, { hostname: 'h', isAlive: () => true })).toBe(false);
    expect(isStale(null, { hostname: 'h', isAlive: dead })).toBe(false);
  });
});
