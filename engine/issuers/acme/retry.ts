// How certops answers an ACME server that says "not now" (RFC 8555 §6.6: 429 rateLimited, 503,
// other 5xx), for every request acme-client makes. acme-client alone sleeps whatever the
// Retry-After says, up to five times: an hour-long rate limit would hold apply for hours. Here:
// - a Retry-After (seconds or HTTP date) up to `maxWaitMs` is waited out, then the request is
//   sent again, at most `attempts` times; without a Retry-After, 1 s, 2 s, 4 s …;
// - a longer one fails the request at once with an ExternalError carrying `retryAt`, which the
//   lifecycle journals so the certificate waits (per-certificate backoff) instead of hammering;
// - connection errors are retried like a 503 without Retry-After.
// Installed once per process on acme-client's shared axios instance.
import acme from 'acme-client';
import { systemClock } from '../../clock.ts';
import { ExternalError } from '../../errors.ts';

export interface RetryPolicy {
  maxWaitMs: number;
  attempts: number;
  /** Waits (tests shorten it). */
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export const retryPolicy: RetryPolicy = {
  maxWaitMs: 60_000,
  attempts: 4,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => systemClock.now().getTime(),
};

/** Milliseconds a Retry-After header asks for, or undefined when absent or unreadable. */
export function retryAfterMs(header: unknown, now: number): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const v = header.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface RetriedConfig {
  url?: string;
  certopsAttempt?: number;
}

interface HttpFailure {
  config?: RetriedConfig;
  code?: string;
  response?: { status: number; headers: Record<string, unknown>; data?: unknown };
}

/**
 * "type: detail" of an ACME problem document (RFC 8555 §6.7), '' when there is none. Untrusted:
 * only string fields are read, and the detail is bounded.
 */
export function problemText(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const p = data as { type?: unknown; detail?: unknown };
  const type = typeof p.type === 'string' ? p.type.replace('urn:ietf:params:acme:error:', '') : '';
  const detail = typeof p.detail === 'string' ? p.detail.slice(0, 500) : '';
  return [type, detail].filter(Boolean).join(': ');
}

/** The response interceptor: retry, or fail with when to come back. */
export async function onAcmeFailure(error: unknown): Promise<unknown> {
  const e = error as HttpFailure;
  const status = e.response?.status;
  const retryable =
    e.config !== undefined &&
    e.code !== 'ECONNABORTED' &&
    (status === undefined ? e.code !== undefined : status === 429 || status >= 500);
  if (!retryable || !e.config) throw error;
  const p = retryPolicy;
  const attempt = (e.config.certopsAttempt ?? 0) + 1;
  const asked = retryAfterMs(e.response?.headers['retry-after'], p.now());
  const wait = asked ?? 1000 * 2 ** (attempt - 1);
  const what = status === undefined ? (e.code ?? 'a connection error') : `HTTP ${status}`;
  if (asked !== undefined && asked > p.maxWaitMs) {
    const retryAt = new Date(p.now() + asked);
    const detail = problemText(e.response?.data);
    throw new ExternalError(
      `the ACME server answered ${what}${detail ? ` (${detail})` : ''} at ${e.config.url ?? '?'} and asks to retry after ${retryAt.toISOString()}`,
      {
        hint: 'certops waits until then for this certificate; `certops apply --retry-now` overrides.',
        retryAt,
        cause: error,
      },
    );
  }
  if (attempt > p.attempts) {
    if (status !== undefined) throw error; // acme-client reads the problem document
    throw new ExternalError(`cannot reach the ACME server at ${e.config.url ?? '?'}: ${what}`, {
      hint: 'Check directoryUrl and that the CA is reachable from here.',
      cause: error,
    });
  }
  await p.sleep(wait);
  e.config.certopsAttempt = attempt;
  return acme.axios(e.config as Parameters<typeof acme.axios>[0]);
}

let installed = false;

/**
 * Replaces acme-client's own retry (its sleep is unbounded) with onAcmeFailure: theirs is
 * turned off (retryMaxAttempts 0) and ours runs first, so every failure it does not take over
 * (and every answer, which acme-client routes through the error path) reaches theirs as before.
 */
export function installRetry(): void {
  if (installed) return;
  installed = true;
  const settings = (acme.axios.defaults as { acmeSettings?: { retryMaxAttempts: number } })
    .acmeSettings;
  if (settings) settings.retryMaxAttempts = 0;
  // axios runs response interceptors in `handlers` order; the array is public and replaceable.
  const manager = acme.axios.interceptors.response as unknown as { handlers?: unknown[] };
  const ours = { fulfilled: null, rejected: onAcmeFailure, synchronous: false, runWhen: null };
  manager.handlers = [ours, ...(manager.handlers ?? [])];
}
