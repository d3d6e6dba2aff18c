// File primitives for secrets and crash-safe records: private directories (0700), atomic
// replacement (temp file in the same directory, fsync, rename, fsync of the directory) and reads
// that refuse symbolic links, so a planted link cannot redirect a key read or write.
import { constants, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { ExternalError, UsageError } from '../errors.ts';

const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/**
 * Returns `name` if it is safe as one file name: `[A-Za-z0-9._-]`, 1-200 characters, not starting
 * with a dot (no `..`, no hidden or temp files, no separators); otherwise a UsageError.
 */
export function checkFileName(name: string, what: string): string {
  if (typeof name !== 'string' || !SAFE_NAME.test(name)) {
    throw new UsageError(
      `invalid ${what} ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-', not starting with '.'`,
    );
  }
  return name;
}

/** Creates `dir` (and parents) and makes sure `dir` itself is mode 0700 and not a symlink. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await fs.lstat(dir);
  if (!st.isDirectory()) throw new ExternalError(`${dir} is not a directory (a symbolic link?)`);
  if ((st.mode & 0o777) !== 0o700) await fs.chmod(dir, 0o700);
}

/**
 * Replaces `path` atomically with `data`, mode `mode`: readers see the old content or the new,
 * never a torn file, and after return the new content survives a crash.
 */
export async function writeFileAtomic(path: string, data: string, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await fh.writeFile(data, 'utf8');
    await fh.chmod(mode); // the umask may have narrowed or (for 0644 requests) not matter
    await fh.sync();
  } catch (err) {
    await fh.close();
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  try {
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  const dh = await fs.open(dir, constants.O_RDONLY);
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** Reads a regular file without following a symlink at its last component; undefined if absent. */
export async function readFileNoFollow(path: string): Promise<string | undefined> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') {
      throw new ExternalError(
        `${path} is a symbolic link; certops does not follow links to secrets`,
        {
          hint: 'Replace the link with the file itself (mode 0600).',
        },
      );
    }
    throw err;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new ExternalError(`${path} is not a regular file`);
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}
