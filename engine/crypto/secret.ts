// Resolving a secretRef (`{ env: NAME }` or `{ file: PATH }`) to its value at run time. Pure over
// its injected sources, so tests and the CLI decide where the environment and files come from.
//
// Contract:
// - `env`: the variable must be set and non-empty; errors name the variable, never a value.
// - `file`: read through `readFile` (the default follows symbolic links, as mounted Kubernetes and
//   Docker secrets are links). One trailing newline ("\n" or "\r\n") is removed; nothing else is
//   trimmed. The file must be at most 64 KiB and non-empty after that.
// - Permissions: a file readable by *other* users (mode & 0o004) is refused, like ssh refuses a
//   world-readable key. Group-readable files are accepted (a 0640 root:certops file is a normal
//   way to share a secret with a service account). The error names the path and mode only.
// - Errors are ExternalErrors (exit 1); no message or hint ever contains the secret.
import { open } from 'node:fs/promises';
import { CertopsError, ExternalError } from '../errors.ts';
import type { SecretRef } from '../model/types.generated.ts';

export interface SecretSources {
  /** The environment to read `{ env }` references from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Reads a secret file: its text (UTF-8) and permission bits. Errors carry an errno `code`. */
  readFile(path: string): Promise<{ text: string; mode: number }>;
}

/** Resolves one reference; what a TargetContext's `secrets` function is built from. */
export type SecretResolver = (ref: SecretRef) => Promise<string>;

export const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** Returns the secret `ref` points to (see the contract above). */
export async function resolveSecret(ref: SecretRef, sources: SecretSources): Promise<string> {
  if (ref.env !== undefined) {
    const value = sources.env[ref.env];
    if (value === undefined) {
      throw new ExternalError(`environment variable ${ref.env} is not set`, {
        hint: `Set ${ref.env} in the environment certops runs in (a CI secret, a systemd credential).`,
      });
    }
    if (value === '') throw new ExternalError(`environment variable ${ref.env} is empty`);
    return value;
  }
  if (ref.file !== undefined) return fromFile(ref.file, sources);
  throw new CertopsError('INTERNAL', 'secret reference has neither env nor file');
}

async function fromFile(path: string, sources: SecretSources): Promise<string> {
  let read: { text: string; mode: number };
  try {
    read = await sources.readFile(path);
  } catch (err) {
    if (err instanceof CertopsError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'read error';
    throw new ExternalError(`secret file ${path} cannot be read: ${code}`, {
      hint: 'Check the path in the secret reference and that certops may read the file.',
      cause: err,
    });
  }
  if ((read.mode & 0o004) !== 0) {
    const mode = (read.mode & 0o777).toString(8).padStart(4, '0');
    throw new ExternalError(`secret file ${path} is readable by other users (mode ${mode})`, {
      hint: `Run \`chmod o-rwx ${path}\` (0600, or 0640 for a group); for Kubernetes secret volumes set defaultMode: 0400.`,
    });
  }
  const value = read.text.replace(/\r?\n$/, '');
  if (value === '') throw new ExternalError(`secret file ${path} is empty`);
  return value;
}

/** The real file reader: follows links, reports the mode of the file read, caps the size. */
export async function readSecretFile(path: string): Promise<{ text: string; mode: number }> {
  const handle = await open(path, 'r');
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new ExternalError(`secret file ${path} is not a regular file`);
    if (st.size > MAX_SECRET_FILE_BYTES)
      throw new ExternalError(`secret file ${path} is larger than 64 KiB`);
    return { text: await handle.readFile('utf8'), mode: st.mode };
  } finally {
    await handle.close();
  }
}

/** A resolver over `env` and the real file system (the CLI passes its environment). */
export function secretResolver(env: SecretSources['env']): SecretResolver {
  return (ref) => resolveSecret(ref, { env, readFile: readSecretFile });
}
