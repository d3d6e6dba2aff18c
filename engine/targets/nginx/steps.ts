// Running one nginx command (config test or reload) for a target, with failures turned into an
// ExternalError that quotes nginx's own message.
import { ExternalError } from '../../errors.ts';
import { tail } from '../../net/command-support.ts';
import type { TargetContext } from '../types.ts';

/** Bound on `nginx -t` and `nginx -s reload` (they take milliseconds when healthy). */
export const NGINX_COMMAND_TIMEOUT_MS = 30_000;

/**
 * Runs `argv` in the deploy root. On a non-zero exit (or a command that cannot run), runs `undo`
 * first, then throws an ExternalError with the command's output tail; an `undo` failure is added
 * to the message rather than hiding the original one. `hint` replaces the certificate-deploy
 * hint (the ACME http-01 solver writes a challenge snippet, not certificates).
 */
export async function runNginxStep(
  ctx: Pick<TargetContext, 'name' | 'runner' | 'deployRoot'>,
  argv: readonly string[],
  what: string,
  undo?: () => Promise<void>,
  hint: string = hintFor(undo),
): Promise<void> {
  let failure: ExternalError;
  try {
    const r = await ctx.runner.run(argv, {
      cwd: ctx.deployRoot,
      timeoutMs: NGINX_COMMAND_TIMEOUT_MS,
    });
    if (r.code === 0) return;
    const out = tail(r.stderr || r.stdout) || '(no output)';
    failure = new ExternalError(
      `target ${ctx.name}: nginx ${what} failed (\`${argv.join(' ')}\` exited ${r.code}):\n${out}`,
      { hint },
    );
  } catch (err) {
    if (!(err instanceof ExternalError)) throw err;
    failure = new ExternalError(`target ${ctx.name}: nginx ${what} failed: ${err.message}`, {
      hint: err.hint ?? hint,
      cause: err,
    });
  }
  if (undo) {
    try {
      await undo();
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new ExternalError(
        `${failure.message}\nrestoring the previous files also failed: ${msg}`,
        {
          hint: 'Fix the files by hand, then run `nginx -t` and reload nginx.',
          cause: failure,
        },
      );
    }
  }
  throw failure;
}

function hintFor(undo: unknown): string {
  return undo
    ? 'The previous files were restored; nginx still serves the previous certificate. Read the nginx message above (a key that does not match its certificate fails here).'
    : 'Read the nginx message above, fix the configuration or files, then reload nginx.';
}
