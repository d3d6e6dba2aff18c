// The real TlsProbe: which leaf certificate does an endpoint serve? Used to verify deployments and
// to observe drift. It does not trust or validate the chain (rejectUnauthorized: false): it only
// compares fingerprints. The peer is untrusted input: nothing it sends reaches a message except
// the fingerprint Node computes from the DER bytes.
import net from 'node:net';
import tls from 'node:tls';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { ExternalError } from '../errors.ts';
import type { TlsProbe } from '../targets/types.ts';

const FINGERPRINT = /^[0-9a-f]{64}$/;

/** Lower-case hex without separators, the form fingerprints take everywhere in certops. */
export function normalizeFingerprint(fp: string): string {
  return fp.replaceAll(':', '').toLowerCase();
}

/** The SNI to send: a DNS name, never an IP address (RFC 6066 §3), else none. */
export function sniFor(serverName: string | undefined): string | undefined {
  if (!serverName || net.isIP(serverName) !== 0) return undefined;
  return serverName.replace(/\.$/, '');
}

export const nodeTlsProbe: TlsProbe = {
  fingerprint(host, port, serverName, timeoutMs) {
    const where = `${host}:${port}`;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      return Promise.reject(new ExternalError(`invalid TLS port ${port} for ${host}`));
    }
    return new Promise<string>((resolve, reject) => {
      const servername = sniFor(serverName);
      const socket = tls.connect({
        host,
        port,
        rejectUnauthorized: false,
        ...(servername ? { servername } : {}),
      });
      const done = (fn: () => void): void => {
        clearTimeout(timer);
        socket.removeAllListeners('error').removeAllListeners('close');
        socket.on('error', () => {}); // late errors after destroy are of no interest
        socket.destroy();
        fn();
      };
      const timer = setTimeout(() => {
        done(() =>
          reject(
            new ExternalError(`TLS handshake with ${where} did not finish within ${timeoutMs} ms`, {
              hint: 'Check that the endpoint is up and speaks TLS on this port.',
            }),
          ),
        );
      }, timeoutMs);
      socket.once('secureConnect', () => {
        // Node 20.20.2: a second getPeerX509Certificate() call returns undefined. Call it once.
        const leaf = socket.getPeerX509Certificate();
        const fp = leaf ? normalizeFingerprint(leaf.fingerprint256) : '';
        done(() => {
          if (FINGERPRINT.test(fp)) resolve(fp);
          else
            reject(new ExternalError(`${where} completed a TLS handshake but sent no certificate`));
        });
      });
      socket.once('close', () => {
        done(() =>
          reject(new ExternalError(`${where} closed the connection during the handshake`)),
        );
      });
      socket.on('error', (err: NodeJS.ErrnoException) => {
        done(() =>
          reject(
            new ExternalError(`TLS connection to ${where} failed: ${err.code ?? err.message}`, {
              hint:
                err.code === 'ECONNREFUSED'
                  ? 'Nothing listens there: check the host and port, and that the server runs.'
                  : 'Check that the endpoint speaks TLS on this port.',
              cause: err,
            }),
          ),
        );
      });
    });
  },
};

export interface WaitOptions {
  timeoutMs: number;
  /** Pause between attempts (default 100 ms). */
  intervalMs?: number;
  /**
   * Consecutive attempts that must see `expected` (default 3). Right after `nginx -s reload` the
   * old worker still accepts some connections for ~150 ms (measured: new and old certificates
   * alternate), so one match is not proof that the new certificate is live.
   */
  confirmations?: number;
  clock?: Clock;
}

/**
 * Polls until `host:port` serves the certificate with fingerprint `expected` on `confirmations`
 * consecutive attempts (after a reload the old certificate is served for a while, ~200 ms for
 * nginx, at first alternating with the new one). Resolves with the attempts made;
 * throws an ExternalError naming what was served instead (or the last connection error) once
 * `timeoutMs` has passed on `clock`. The attempt count is also bounded, so a frozen clock ends too.
 */
export async function waitForFingerprint(
  probe: TlsProbe,
  host: string,
  port: number,
  serverName: string | undefined,
  expected: string,
  opts: WaitOptions,
): Promise<{ attempts: number }> {
  const clock = opts.clock ?? systemClock;
  const interval = Math.max(1, opts.intervalMs ?? 100);
  const want = normalizeFingerprint(expected);
  const deadline = clock.now().getTime() + opts.timeoutMs;
  const confirmations = Math.max(1, opts.confirmations ?? 3);
  const maxAttempts = Math.ceil(opts.timeoutMs / interval) + confirmations;
  let last = '';
  let streak = 0;
  for (let attempt = 1; ; attempt++) {
    const left = deadline - clock.now().getTime();
    try {
      const got = await probe.fingerprint(host, port, serverName, clampAttempt(left));
      streak = got === want ? streak + 1 : 0;
      if (streak >= confirmations) return { attempts: attempt };
      if (got !== want) last = `it still serves ${got}`;
    } catch (err) {
      streak = 0;
      last = `last error: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (clock.now().getTime() >= deadline || attempt >= maxAttempts) {
      throw new ExternalError(
        `${host}:${port} did not serve certificate ${want} within ${opts.timeoutMs} ms; ${last || 'it was not served consistently'}`,
        {
          hint: 'Check that the server was reloaded and that this endpoint (and server name) is the one using the deployed files.',
        },
      );
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

function clampAttempt(leftMs: number): number {
  return Math.min(5_000, Math.max(250, leftMs));
}
