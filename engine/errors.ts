// The error taxonomy. Every failure the CLI reports is one of these classes; each has a stable
// `code` (part of the --json contract) and maps to one exit code in `exitCodeFor`, the only
// place where errors become exit codes.
import type { Diagnostic } from './diagnostics.ts';

export const ExitCode = {
  Ok: 0,
  Error: 1,
  Changes: 2,
  InvalidInput: 3,
  PolicyDenied: 4,
  GateNotMet: 5,
  LockHeld: 6,
  PartialApply: 7,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  | 'INTERNAL'
  | 'EXTERNAL'
  | 'USAGE'
  | 'INVALID_INPUT'
  | 'POLICY_DENIED'
  | 'GATE_NOT_MET'
  | 'LOCK_HELD'
  | 'PARTIAL_APPLY';

export class CertopsError extends Error {
  readonly code: ErrorCode;
  /** What the user can do next; printed under the message. */
  readonly hint: string | undefined;
  constructor(code: ErrorCode, message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = opts.hint;
  }
}

/** Wrong flags or arguments on the command line. */
export class UsageError extends CertopsError {
  constructor(message: string, hint?: string) {
    super('USAGE', message, hint === undefined ? {} : { hint });
  }
}

/** Input files (YAML, schema, references, policy source) are invalid. Carries every finding. */
export class InvalidInputError extends CertopsError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[], message?: string, hint?: string) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    super('INVALID_INPUT', message ?? `${errors} error${errors === 1 ? '' : 's'} in the input`, {
      hint: hint ?? 'Fix the errors above, then run `certops validate` again.',
    });
    this.diagnostics = diagnostics;
  }
}

/** A host, service or command outside certops failed; retrying may help. */
export class ExternalError extends CertopsError {
  /** When the service asked to be tried again (an HTTP Retry-After), if it said. */
  readonly retryAt: Date | undefined;
  constructor(message: string, opts: { hint?: string; cause?: unknown; retryAt?: Date } = {}) {
    super('EXTERNAL', message, opts);
    this.retryAt = opts.retryAt;
  }
}

export class PolicyDeniedError extends CertopsError {
  constructor(message: string, hint?: string) {
    super('POLICY_DENIED', message, hint === undefined ? {} : { hint });
  }
}

export class GateNotMetError extends CertopsError {
  constructor(message: string, hint?: string) {
    super('GATE_NOT_MET', message, hint === undefined ? {} : { hint });
  }
}

export class LockHeldError extends CertopsError {
  constructor(message: string, hint?: string) {
    super('LOCK_HELD', message, hint === undefined ? {} : { hint });
  }
}

export class PartialApplyError extends CertopsError {
  constructor(message: string, hint?: string) {
    super('PARTIAL_APPLY', message, hint === undefined ? {} : { hint });
  }
}

const EXIT_BY_CODE: Record<ErrorCode, ExitCode> = {
  INTERNAL: ExitCode.Error,
  EXTERNAL: ExitCode.Error,
  USAGE: ExitCode.InvalidInput,
  INVALID_INPUT: ExitCode.InvalidInput,
  POLICY_DENIED: ExitCode.PolicyDenied,
  GATE_NOT_MET: ExitCode.GateNotMet,
  LOCK_HELD: ExitCode.LockHeld,
  PARTIAL_APPLY: ExitCode.PartialApply,
};

/** The one mapping from a thrown value to a process exit code. */
export function exitCodeFor(err: unknown): ExitCode {
  return err instanceof CertopsError ? EXIT_BY_CODE[err.code] : ExitCode.Error;
}

export function errorCodeOf(err: unknown): ErrorCode {
  return err instanceof CertopsError ? err.code : 'INTERNAL';
}
