// Durations as written in certs.d: `90d`, `720h`, `90m`, `45s`, or combinations in decreasing
// units (`1d12h`). No months or years: their length varies, and validity limits are in days.
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
const DURATION = /^(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export type DurationResult = { ok: true; ms: number } | { ok: false; reason: string };

export function parseDuration(text: string): DurationResult {
  const m = DURATION.exec(text);
  if (!m) {
    return {
      ok: false,
      reason: `"${text}" is not a duration; write a number followed by d, h, m or s (e.g. 90d, 720h, 90m)`,
    };
  }
  const [, d, h, mi, s] = m;
  const ms =
    Number(d ?? 0) * UNIT_MS.d +
    Number(h ?? 0) * UNIT_MS.h +
    Number(mi ?? 0) * UNIT_MS.m +
    Number(s ?? 0) * UNIT_MS.s;
  if (!Number.isSafeInteger(ms)) return { ok: false, reason: `"${text}" is too long a duration` };
  if (ms === 0) return { ok: false, reason: `"${text}" is zero; a duration must be positive` };
  return { ok: true, ms };
}

/** Renders milliseconds the way a person would write them: 7776000000 → 90d, 5400000 → 1h30m. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_MS)) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out || '0s';
}
