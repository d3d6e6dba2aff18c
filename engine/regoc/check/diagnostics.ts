// Located diagnostics of the checker. Codes follow OPA's compile error codes, so a conformance
// case expecting a compile error can be judged on them; REGO_UNSUPPORTED marks valid Rego that
// regoc refuses by design (the runner reports it as unsupported, never as wrong).
import { formatLocation, type Location } from '../syntax/location.ts';

export type CheckCode =
  | 'rego_compile_error'
  | 'rego_type_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'REGO_UNSUPPORTED';

export interface CheckDiagnostic {
  readonly code: CheckCode;
  readonly message: string;
  readonly location: Location;
}

export const diag = (code: CheckCode, location: Location, message: string): CheckDiagnostic => ({
  code,
  message,
  location,
});

/** `file:line:col: code: message`, OPA's order of parts. */
export function formatCheckDiagnostic(d: CheckDiagnostic): string {
  return `${formatLocation(d.location)}: ${d.code}: ${d.message}`;
}
