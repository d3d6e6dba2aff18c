// Private keys kept outside the repository: CA keys, the pending key of an in-flight operation,
// and the keys of certificates with rotation `reuse`. Values are PKCS#8 PEM strings.
//
// On-disk layout of a FileKeyStore(dir):
//
//   <dir>/                 mode 0700 (created on first put)
//     <id>.key             PKCS#8 PEM, mode 0600, replaced atomically
//     .<id>.key.<rand>.tmp transient, only while a put is in flight
//
// Ids are `[A-Za-z0-9._-]+`, not starting with a dot, at most 200 characters: an id is a file
// name, never a path. Key files that are symbolic links are refused, not followed.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { checkFileName, ensurePrivateDir, readFileNoFollow, writeFileAtomic } from './secure-fs.ts';

export interface KeyStore {
  /** The PKCS#8 PEM stored under `id`, or undefined. */
  get(id: string): Promise<string | undefined>;
  /** Stores (or replaces) the key under `id`; durable when the promise resolves. */
  put(id: string, pem: string): Promise<void>;
  /** Removes the key; absent ids are fine. */
  delete(id: string): Promise<void>;
  has(id: string): Promise<boolean>;
  /** Ids of the stored keys that start with `prefix`. */
  list(prefix?: string): Promise<string[]>;
}

export class FileKeyStore implements KeyStore {
  constructor(readonly dir: string) {}

  private path(id: string): string {
    return join(this.dir, `${checkFileName(id, 'key id')}.key`);
  }

  async get(id: string): Promise<string | undefined> {
    return readFileNoFollow(this.path(id));
  }

  async put(id: string, pem: string): Promise<void> {
    const path = this.path(id);
    if (!pem.includes('PRIVATE KEY-----')) {
      throw new UsageError(`refusing to store key ${id}: the value is not a PEM private key`);
    }
    await ensurePrivateDir(this.dir);
    await writeFileAtomic(path, pem, 0o600);
  }

  async delete(id: string): Promise<void> {
    await fs.rm(this.path(id), { force: true });
  }

  async list(prefix = ''): Promise<string[]> {
    const names = await fs.readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    return names
      .filter((n) => n.endsWith('.key') && !n.startsWith('.') && n.startsWith(prefix))
      .map((n) => n.slice(0, -'.key'.length))
      .sort();
  }

  async has(id: string): Promise<boolean> {
    try {
      await fs.lstat(this.path(id));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
}

/** Where certops keeps local secrets and records: `$CERTOPS_HOME`, else `<homedir>/.certops`. */
export function certopsHome(env: Record<string, string | undefined>, homedir: string): string {
  const fromEnv = env.CERTOPS_HOME;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homedir, '.certops');
}
