// The apply lock: `.git/certops.lock`, created with O_CREAT|O_EXCL so only one certops apply runs
// against a repository at a time. A lock left by a dead process on this host is taken over (and
// reported through `staleFrom`); any other existing lock raises LockHeldError (exit 6).
import { open, readFile, unlink } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import path from 'node:path';
import type { Clock } from '../clock.ts';
import { LockHeldError } from '../errors.ts';
import type { LockInfo } from './lock-info.ts';
import {
  formatLockInfo,
  heldMessage,
  isPidAlive,
  isStale,
  parseLockInfo,
  takeoverMessage,
} from './lock-info.ts';
import { gitDirOf } from './repo.ts';

export interface AcquiredLock {
  path: string;
  /** The dead holder whose lock was taken over, if any. */
  staleFrom?: LockInfo;
  /** Removes the lock file if it still holds our content (never someone else's lock). */
  release(): Promise<void>;
}

export interface AcquireLockOptions {
  dir: string;
  owner: string;
  clock: Clock;
  pid?: number;
  hostname?: string;
  /** Liveness probe for holders on this host; process.kill(pid, 0) by default. */
  isAlive?: (pid: number) => boolean;
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;
const readOrNull = (p: string) =>
  readFile(p, 'utf8').catch((err: unknown) =>
    errno(err) === 'ENOENT' ? null : Promise.reject(err),
  );

/** Creates `file` with `content` if it does not exist; false when it does. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  const handle = await open(file, 'wx', 0o644).catch((err: unknown) =>
    errno(err) === 'EEXIST' ? null : Promise.reject(err),
  );
  if (handle === null) return false;
  try {
    await handle.writeFile(content);
  } catch (err) {
    await unlink(file).catch(() => undefined);
    throw err;
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Replaces the lock judged stale (text `judged`) with ours. Contenders serialise on an exclusive
 * marker file, and the winner re-reads the lock before removing it, so a live lock is never
 * removed and two contenders cannot both take over. Returns false when it lost the race.
 */
export async function takeOver(lockPath: string, judged: string, mine: string): Promise<boolean> {
  const marker = `${lockPath}.takeover`;
  if (!(await createExclusive(marker, mine))) return false;
  try {
    if ((await readOrNull(lockPath)) !== judged) return false;
    await unlink(lockPath);
    return await createExclusive(lockPath, mine);
  } finally {
    await unlink(marker).catch(() => undefined);
  }
}

export async function acquireLock(opts: AcquireLockOptions): Promise<AcquiredLock> {
  const lockPath = path.join(await gitDirOf(opts.dir), 'certops.lock');
  const here = { hostname: opts.hostname ?? osHostname(), isAlive: opts.isAlive ?? isPidAlive };
  const mine = formatLockInfo({
    owner: opts.owner,
    pid: opts.pid ?? process.pid,
    hostname: here.hostname,
    since: opts.clock.now().toISOString(),
  });
  const lockHeld = async () =>
    new LockHeldError(...heldMessage(parseLockInfo((await readOrNull(lockPath)) ?? ''), lockPath));
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(lockPath, mine)) return handle(lockPath, mine);
    const text = await readOrNull(lockPath);
    if (text === null) continue; // released between our attempt and the read
    const holder = parseLockInfo(text);
    if (holder === null || !isStale(holder, here)) {
      throw new LockHeldError(...heldMessage(holder, lockPath));
    }
    if (await takeOver(lockPath, text, mine)) return handle(lockPath, mine, holder);
    if ((await readOrNull(lockPath)) === text) {
      throw new LockHeldError(...takeoverMessage(holder, `${lockPath}.takeover`));
    }
    throw await lockHeld();
  }
  throw await lockHeld();
}

function handle(lockPath: string, mine: string, staleFrom?: LockInfo): AcquiredLock {
  const release = async () => {
    if ((await readOrNull(lockPath)) === mine) await unlink(lockPath).catch(() => undefined);
  };
  return staleFrom === undefined
    ? { path: lockPath, release }
    : { path: lockPath, staleFrom, release };
}
