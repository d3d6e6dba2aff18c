import { describe, expect, it } from 'vitest';
import type { JournalEvent, Operation } from '../state/types.ts';
import { deferral, failedAttempts, nextAttempt } from './backoff.ts';

const op = (events: JournalEvent[]): Operation => ({
  id: 'web-1',
  certificate: 'web',
  action: 'issue',
  reasons: ['new'],
  desiredCommit: '',
  events,
  closed: false,
});
const at = (iso: string): Date => new Date(iso);

describe('per-certificate backoff', () => {
  it('doubles the wait per consecutive failure, capped at a day', () => {
    const now = at('2026-01-01T00:00:00Z');
    const events: JournalEvent[] = [{ step: 'started', at: now.toISOString() }];
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const d = nextAttempt(op(events), now, 'boom');
      waits.push((Date.parse(d.retryAt as string) - now.getTime()) / 60_000);
      expect(d.attempt).toBe(String(i + 1));
      events.push({ step: 'issue-failed', at: now.toISOString(), detail: d });
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1440, 1440, 1440]);
  });

  it('takes the CA’s Retry-After when it gave one', () => {
    const now = at('2026-01-01T00:00:00Z');
    const d = nextAttempt(op([]), now, 'rate limited', at('2026-01-01T03:00:00Z'));
    expect(d.retryAt).toBe('2026-01-01T03:00:00.000Z');
  });

  it('defers until retryAt, then lets the operation run; an issuance resets the count', () => {
    const failed = op([
      { step: 'started', at: '2026-01-01T00:00:00Z' },
      {
        step: 'issue-failed',
        at: '2026-01-01T00:00:00Z',
        detail: { attempt: '1', retryAt: '2026-01-01T00:01:00.000Z', error: 'http-01 failed' },
      },
    ]);
    expect(deferral(failed, at('2026-01-01T00:00:30Z'))).toEqual({
      attempt: 1,
      retryAt: '2026-01-01T00:01:00.000Z',
      error: 'http-01 failed',
    });
    expect(deferral(failed, at('2026-01-01T00:01:00Z'))).toBeUndefined();
    const issued = op([...failed.events, { step: 'issued', at: '2026-01-01T00:02:00Z' }]);
    expect(failedAttempts(issued)).toBe(0);
    expect(deferral(issued, at('2026-01-01T00:00:30Z'))).toBeUndefined();
    expect(deferral(undefined, at('2026-01-01T00:00:30Z'))).toBeUndefined();
  });
});
