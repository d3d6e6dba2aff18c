// Pieces of the command runner: the minimal child environment, bounded output capture, and
// start-failure messages.
import { statSync } from 'node:fs';
import { ExternalError } from '../errors.ts';

/** Bytes kept of each of stdout and stderr (the last ones: error tails are what callers show). */
export const OUTPUT_CAP = 1024 * 1024;

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The environment every command starts from: PATH (so argv[0] can be a bare name), HOME and LANG
 * from certops' own environment, nothing else. This is the one place engine code reads
 * process.env: commands must be found and behave as they do in the operator's shell, but secrets
 * in certops' environment (tokens, cloud credentials) must not leak into hooks and reload
 * commands. Callers add what a command needs through `env`.
 */
export function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH || DEFAULT_PATH };
  if (process.env.HOME) env.HOME = process.env.HOME;
  env.LANG = process.env.LANG || 'C.UTF-8';
  return env;
}

/** Keeps the last `cap` bytes pushed into it. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;
  constructor(private readonly cap = OUTPUT_CAP) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.cap && this.chunks.length > 0) {
      const first = this.chunks[0] as Buffer;
      const excess = this.size - this.cap;
      this.dropped = true;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  /** The kept bytes as UTF-8, prefixed with a marker when earlier output was dropped. */
  text(): string {
    const body = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped ? `[earlier output dropped]\n${body}` : body;
  }
}

/** The last `lines` non-empty lines of command output, for error messages. */
export function tail(text: string, lines = 10): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .slice(-lines)
    .join('\n');
}

/** Why a command did not start, as an ExternalError with a hint. */
export function startFailure(
  argv: readonly string[],
  cwd: string | undefined,
  path: string | undefined,
  err: unknown,
): ExternalError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const cmd = argv[0] ?? '';
  if (code === 'ENOENT' && cwd !== undefined && !isDirectory(cwd)) {
    return new ExternalError(`cannot run \`${cmd}\`: working directory ${cwd} does not exist`, {
      hint: 'Create the directory (the deploy root), or fix the configuration that names it.',
      cause: err,
    });
  }
  if (code === 'ENOENT') {
    return new ExternalError(`command not found: ${cmd}`, {
      hint: cmd.includes('/')
        ? `Check that ${cmd} exists.`
        : `Install it, or give its absolute path. Searched PATH=${path ?? ''}`,
      cause: err,
    });
  }
  if (code === 'EACCES') {
    return new ExternalError(`cannot run ${cmd}: permission denied`, {
      hint: 'Check that the file is executable by the user certops runs as.',
      cause: err,
    });
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new ExternalError(`cannot run ${cmd}: ${msg}`, { cause: err });
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
