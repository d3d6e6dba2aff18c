// Crash-safe file replacement. A reader (nginx, a hook, discovery) sees either the old file or the
// new one, never a partial write: the data goes to a temporary file in the same directory, is
// flushed, gets its final mode, and is renamed over the target.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export const KEY_MODE = 0o600;
export const DIR_MODE = 0o755;

/**
 * Writes `data` to `file` atomically with exactly `mode` (the umask does not apply). The temporary
 * file is created with `mode & 0o600` first, so a key is never readable by others, not even
 * while it is being written. Does not fsync the directory: call syncDir once after a batch.
 */
export async function writeAtomic(
  file: string,
  data: string | Uint8Array,
  mode: number,
): Promise<void> {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const handle = await open(tmp, 'wx', mode & KEY_MODE);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Flushes a directory's entries (renames) to disk. Best effort: some filesystems refuse it. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // e.g. EINVAL on filesystems without directory fsync; the renames still happened.
  }
}

/** Creates `dir` (and parents) where missing, each exactly 0755 whatever the umask. */
export async function ensureDir(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: DIR_MODE });
  if (first === undefined) return;
  // chmod every directory created by this call: `first` down to `dir`.
  for (let d = dir; ; d = path.dirname(d)) {
    await chmod(d, DIR_MODE);
    if (d === first || d === path.dirname(d)) break;
  }
}

/** The file's bytes, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
