// The only error type the syntax layer throws or returns. `REGO_PARSE` means the text is not valid
// Rego (or needs compat mode); `REGO_UNSUPPORTED` means valid Rego that regoc refuses by design.
import { formatLocation, type Location } from './location.ts';

export type RegoSyntaxErrorCode = 'REGO_PARSE' | 'REGO_UNSUPPORTED';

export class RegoSyntaxError extends Error {
  readonly code: RegoSyntaxErrorCode;
  readonly location: Location;
  /** The message without the `file:line:col: ` prefix. */
  readonly detail: string;
  /** What the user can do next, if there is something specific. */
  readonly hint: string | undefined;
  constructor(code: RegoSyntaxErrorCode, location: Location, detail: string, hint?: string) {
    super(`${formatLocation(location)}: ${detail}`);
    this.name = 'RegoSyntaxError';
    this.code = code;
    this.location = location;
    this.detail = detail;
    this.hint = hint;
  }
}

export function parseError(location: Location, detail: string, hint?: string): RegoSyntaxError {
  return new RegoSyntaxError('REGO_PARSE', location, detail, hint);
}

/** `construct` names what is refused, e.g. "template strings"; the message reads "unsupported: …". */
export function unsupported(location: Location, construct: string): RegoSyntaxError {
  return new RegoSyntaxError('REGO_UNSUPPORTED', location, `unsupported: ${construct}`);
}
