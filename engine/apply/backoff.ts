// Per-certificate backoff after a failed issuance: each failure is journaled as `issue-failed`
// with its attempt number and the time before which the certificate is not tried again, so a
// scheduled apply does not hammer a CA (ACME failed-validation limits) with the same failing
// order. The wait doubles per consecutive failure, from BASE_MS up to MAX_MS; a CA that said
// when to come back (Retry-After on a rate limit) is taken at its word. Pure: the applier asks
// `deferral()` before running an operation and appends what `nextAttempt()` returns on failure.
import type { Operation } from '../state/types.ts';

export const BACKOFF_BASE_MS = 60_000;
export const BACKOFF_MAX_MS = 24 * 3_600_000;

/** Consecutive failed issuances of the operation (reset by an `issued` step). */
export function failedAttempts(op: Operation | undefined): number {
  let n = 0;
  for (const e of op?.events ?? []) {
    if (e.step === 'issue-failed') n++;
    if (e.step === 'issued') n = 0;
  }
  return n;
}

/** The journal detail of the next failure: attempt number and when to try again. */
export function nextAttempt(
  op: Operation,
  now: Date,
  error: string,
  retryAt?: Date,
): Record<string, string> {
  const attempt = failedAttempts(op) + 1;
  const wait = Math.min(BACKOFF_BASE_MS * 2 ** (attempt - 1), BACKOFF_MAX_MS);
  const at =
    retryAt && retryAt.getTime() > now.getTime() ? retryAt : new Date(now.getTime() + wait);
  return { error: error.slice(0, 2000), attempt: String(attempt), retryAt: at.toISOString() };
}

export interface Deferral {
  attempt: number;
  retryAt: string;
  error: string;
}

/** Why the operation must wait, or undefined when it may run now. */
export function deferral(op: Operation | undefined, now: Date): Deferral | undefined {
  const events = op?.events ?? [];
  const last = [...events].reverse().find((e) => e.step === 'issue-failed' || e.step === 'issued');
  if (!last || last.step !== 'issue-failed') return undefined;
  const retryAt = last.detail?.retryAt ?? '';
  if (!(Date.parse(retryAt) > now.getTime())) return undefined;
  return { attempt: failedAttempts(op), retryAt, error: last.detail?.error ?? '' };
}
