// The TLS side of targets with `verify:` (nginx, exec, later haproxy): which endpoint to ask, and
// whether it serves the deployed certificate.
import { ExternalError } from '../errors.ts';
import type { TlsEndpoint } from '../model/types.generated.ts';
import { waitForFingerprint } from '../net/tls-probe.ts';
import { parseDuration } from '../util/duration.ts';
import type { DeployBundle, TargetContext } from './types.ts';

export const DEFAULT_VERIFY_HOST = '127.0.0.1';
export const DEFAULT_VERIFY_TIMEOUT_MS = 10_000;
/** Pause between probes while waiting for a reload to take effect. */
export const VERIFY_INTERVAL_MS = 100;

export interface Endpoint {
  host: string;
  port: number;
  serverName: string | undefined;
  timeoutMs: number;
}

/**
 * The SNI name for verifying a bundle: the first non-wildcard DNS name; for wildcard-only
 * certificates, the first wildcard with its `*` replaced by `certops-verify` (a wildcard is not a
 * valid SNI name, but a server block for `*.example.com` answers `certops-verify.example.com`).
 */
export function defaultServerName(dnsNames: readonly string[]): string | undefined {
  const plain = dnsNames.find((n) => !n.startsWith('*.'));
  if (plain !== undefined) return plain;
  return dnsNames[0]?.replace(/^\*\./, 'certops-verify.');
}

/** Resolves `spec` with its defaults; `dnsNames` supply the SNI when serverName is not set. */
export function endpointFor(spec: TlsEndpoint, dnsNames: readonly string[]): Endpoint {
  let timeoutMs = DEFAULT_VERIFY_TIMEOUT_MS;
  if (spec.timeout !== undefined) {
    const d = parseDuration(spec.timeout);
    if (!d.ok) throw new ExternalError(`verify.timeout: ${d.reason}`);
    timeoutMs = d.ms;
  }
  return {
    host: spec.host ?? DEFAULT_VERIFY_HOST,
    port: spec.port,
    serverName: spec.serverName ?? defaultServerName(dnsNames),
    timeoutMs,
  };
}

/** Waits until the endpoint serves `bundle`; throws an ExternalError naming what it serves instead. */
export async function verifyServed(
  ctx: TargetContext,
  spec: TlsEndpoint,
  bundle: DeployBundle,
): Promise<void> {
  const ep = endpointFor(spec, bundle.dnsNames);
  try {
    await waitForFingerprint(ctx.tls, ep.host, ep.port, ep.serverName, bundle.fingerprintSha256, {
      timeoutMs: ep.timeoutMs,
      intervalMs: VERIFY_INTERVAL_MS,
      clock: ctx.clock,
    });
  } catch (err) {
    if (!(err instanceof ExternalError)) throw err;
    throw new ExternalError(`target ${ctx.name}: ${err.message}`, {
      hint: err.hint ?? 'Check the server configuration.',
      cause: err,
    });
  }
}

/**
 * The fingerprint the endpoint serves now (one probe), or undefined when it cannot be reached.
 * Without a bundle the SNI is only `spec.serverName` (none when unset).
 */
export async function observeServed(
  ctx: TargetContext,
  spec: TlsEndpoint,
): Promise<string | undefined> {
  try {
    const ep = endpointFor(spec, []);
    return await ctx.tls.fingerprint(ep.host, ep.port, ep.serverName, ep.timeoutMs);
  } catch {
    return undefined;
  }
}
