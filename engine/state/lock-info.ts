// The apply lock's content and the pure decisions about it. A lock is stale only when its holder
// is provably gone: same host and a pid that no longer exists. A lock from another host, or one
// whose content cannot be read, is always treated as held.
import type { LockHeldError } from '../errors.ts';

export interface LockInfo {
  owner: string;
  pid: number;
  hostname: string;
  /** ISO time the lock was taken (from the holder's clock). */
  since: string;
}

export function formatLockInfo(info: LockInfo): string {
  return JSON.stringify(info) + '\n';
}

/** The holder described by a lock file's text, or null when it is not a well-formed lock. */
export function parseLockInfo(text: string): LockInfo | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object') return null;
  const { owner, pid, hostname, since } = v as Record<string, unknown>;
  if (typeof owner !== 'string' || typeof hostname !== 'string' || typeof since !== 'string') {
    return null;
  }
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return null;
  return { owner, pid, hostname, since };
}

export function isStale(
  holder: LockInfo | null,
  here: { hostname: string; isAlive: (pid: number) => boolean },
): boolean {
  return holder !== null && holder.hostname === here.hostname && !here.isAlive(holder.pid);
}

/** Message and hint for LockHeldError. */
export function heldMessage(
  holder: LockInfo | null,
  lockPath: string,
): ConstructorParameters<typeof LockHeldError> {
  const who =
    holder === null
      ? `the apply lock ${lockPath} is taken (its content is unreadable: being written, or damaged)`
      : `the apply lock is held by ${holder.owner} (pid ${holder.pid} on ${holder.hostname}) since ${holder.since}`;
  return [
    who,
    `Wait for that apply to finish, or remove ${lockPath} if you are sure no apply is running.`,
  ];
}

/** Message and hint when another process is taking over the same stale lock. */
export function takeoverMessage(
  stale: LockInfo,
  marker: string,
): ConstructorParameters<typeof LockHeldError> {
  return [
    `another certops process is taking over the stale apply lock of ${stale.owner} (pid ${stale.pid}, gone)`,
    `Retry in a moment. If ${marker} stays, no takeover is running: remove it.`,
  ];
}

/** Whether a process with this pid exists on this host (EPERM: it exists, owned by another user). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
