// The journal's contract, enforced at the storage boundary: an operation's events are append-only,
// its id and certificate never change, and `closed` is true exactly when a closing step
// ('recorded', 'failed', 'abandoned') has been appended.
import { canonicalJson } from './canonical-json.ts';
import { CLOSING_STEPS } from './records.ts';
import type { Operation } from './types.ts';

/** null when `next` may replace `previous` (undefined for a new operation), else the reason. */
export function operationUpdateProblem(
  previous: Operation | undefined,
  next: Operation,
): string | null {
  const closes = next.events.some((e) => CLOSING_STEPS.includes(e.step));
  if (next.closed !== closes) {
    return closes
      ? 'has a closing event but closed is false'
      : 'is marked closed without a recorded, failed or abandoned event';
  }
  if (previous === undefined) return null;
  if (previous.certificate !== next.certificate) {
    return `changes its certificate from ${previous.certificate} to ${next.certificate}`;
  }
  if (next.events.length < previous.events.length) {
    return `drops events (${previous.events.length} recorded, ${next.events.length} given)`;
  }
  for (const [i, event] of previous.events.entries()) {
    if (canonicalJson(event) !== canonicalJson(next.events[i])) {
      return `rewrites recorded event ${i} (${event.step}); events are append-only`;
    }
  }
  return null;
}
