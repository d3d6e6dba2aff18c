import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['30d', 30 * 86_400_000],
    ['720h', 720 * 3_600_000],
    ['90m', 90 * 60_000],
    ['45s', 45_000],
    ['1d12h', 36 * 3_600_000],
    ['2h30m15s', (2 * 3600 + 30 * 60 + 15) * 1000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each(['', '30', 'd', '30days', '1h1d', '-5d', '1.5d', '30 d', '1w'])('refuses %j', (text) => {
    const r = parseDuration(text);
    expect(r.ok).toBe(false);
  });

  it('refuses zero and overflow with a reason', () => {
    expect(parseDuration('0d')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('zero'),
    });
    expect(parseDuration('99999999999999d')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('too long'),
    });
  });
});

describe('formatDuration', () => {
  it('writes the largest units first', () => {
    expect(formatDuration(90 * 86_400_000)).toBe('90d');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(0)).toBe('0s');
  });
});
