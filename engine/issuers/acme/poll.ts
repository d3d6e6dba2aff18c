// Waiting for an ACME object (authorization, order) to settle, with a deadline. acme-client's
// waitForValidStatus gives up after a number of attempts, not a time, and cannot be stopped;
// here the caller's deadline (the Issuer's orderTimeout) bounds the wait, the interval grows
// from `minMs` to `maxMs`, and the clock and sleep are injected.
import { ExternalError } from '../../errors.ts';

export interface PollOptions {
  /** Epoch ms after which waiting stops. */
  deadline: number;
  minMs: number;
  maxMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Names the object in errors: "authorization for web.example.com", "order <url>". */
  what: string;
  /** The CA's problem for an invalid object, for the error message. */
  problem: (item: { status: string }) => string;
}

/** Resolves with the object once `valid`; throws when it turns `invalid` or time runs out. */
export async function pollUntilValid<T extends { status: string }>(
  fetch: () => Promise<T>,
  opts: PollOptions,
): Promise<T> {
  let interval = opts.minMs;
  for (;;) {
    const item = await fetch();
    if (item.status === 'valid') return item;
    if (item.status === 'invalid' || item.status === 'deactivated' || item.status === 'revoked')
      throw new ExternalError(`${opts.what} is ${item.status}: ${opts.problem(item)}`);
    const left = opts.deadline - opts.now();
    if (left <= 0)
      throw new ExternalError(`${opts.what} is still ${item.status} at the deadline`, {
        hint: 'The CA has not finished: the order stays recorded and the next apply resumes it; raise the Issuer’s orderTimeout if the CA is slow.',
      });
    await opts.sleep(Math.min(interval, left));
    interval = Math.min(interval * 2, opts.maxMs);
  }
}
