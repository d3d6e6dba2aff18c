// The target provider interface. One folder per target type (file, nginx, exec, later haproxy),
// each registered in targets/index.ts. Deploy writes atomically and keeps the previous version;
// verify proves the new certificate is in place (read back, or served over TLS); rollback puts
// the previous version back.
import type { Clock } from '../clock.ts';
import type { SecretRef, TargetSpec } from '../model/types.generated.ts';

export interface DeployBundle {
  /** Deploy name: the `{name}` in file names (the certificate name unless deploy[].name says). */
  name: string;
  certificatePem: string;
  /** Intermediates, PEM ('' when none). */
  chainPem: string;
  /** Leaf followed by intermediates. */
  fullchainPem: string;
  /** PKCS#8 PEM. Written only with mode 0600. */
  privateKeyPem: string;
  serial: string;
  fingerprintSha256: string;
  notAfter: string;
  dnsNames: string[];
}

/** Runs a command (argv, no shell); injected so tests can observe or fake external commands. */
export interface CommandRunner {
  run(
    argv: readonly string[],
    opts?: { env?: Record<string, string>; cwd?: string; timeoutMs?: number },
  ): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Fetches the leaf certificate an endpoint serves. */
export interface TlsProbe {
  /** SHA-256 fingerprint (lower-case hex) of the served leaf, or throws an ExternalError. */
  fingerprint(
    host: string,
    port: number,
    serverName: string | undefined,
    timeoutMs: number,
  ): Promise<string>;
}

export interface TargetContext {
  /** Target object name. */
  name: string;
  spec: TargetSpec;
  /** Relative target directories resolve against this absolute directory. */
  deployRoot: string;
  runner: CommandRunner;
  tls: TlsProbe;
  clock: Clock;
  /**
   * Resolves a secret reference from the spec (e.g. the file target's pkcs12Password) to its
   * value; throws an ExternalError naming the reference, never the value. Absent when the caller
   * provides no secrets: providers that need one then throw an ExternalError saying so.
   */
  secrets?: (ref: SecretRef) => Promise<string>;
}

export interface DeployResult {
  /** Absolute paths written. */
  files: string[];
}

export interface Observation {
  /** Fingerprint of what the target holds (file read back or served), if anything. */
  fingerprintSha256?: string;
  /** Files found, for file-like targets. */
  files?: string[];
  /**
   * The target cannot tell what it holds (an exec hook without `verify:`): no drift detection,
   * as opposed to a target that holds nothing.
   */
  unobservable?: true;
}

export interface TargetProvider {
  deploy(ctx: TargetContext, bundle: DeployBundle): Promise<DeployResult>;
  /** Throws an ExternalError (errors.ts) saying what is wrong when the new certificate is not in place. */
  verify(ctx: TargetContext, bundle: DeployBundle): Promise<void>;
  /**
   * Restores the previous version (after a failed verify). Resolves true when it did, false when
   * the target cannot roll back (an exec hook): the journal then says so instead of "rolled-back".
   */
  rollback(ctx: TargetContext, bundle: DeployBundle): Promise<boolean>;
  /** Removes what deploy wrote for this name (certificate retired or target removed). */
  remove(ctx: TargetContext, name: string): Promise<void>;
  /** What the target currently holds for this name (drift detection); never throws for absence. */
  observe(ctx: TargetContext, name: string): Promise<Observation>;
  /**
   * The certificate and key currently deployed under this name, for targets that can give them
   * back (files): lets a new target receive an existing certificate without re-issuing.
   */
  readBack?(
    ctx: TargetContext,
    name: string,
  ): Promise<{ certificatePem: string; chainPem: string; privateKeyPem: string } | undefined>;
}
