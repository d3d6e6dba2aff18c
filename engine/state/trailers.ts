// Commit messages on the state branch: the message, a blank line, then one `Key: value` trailer
// per line (git's trailer format, so `git log --format='%(trailers)'` and `git interpret-trailers`
// read them). Keys are token-like; values are single lines.
import { StateWriteRefusedError } from './errors.ts';

const KEY = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const LINE = /^([A-Za-z0-9][A-Za-z0-9-]*):[ \t]*(.*)$/;

/** Builds the full commit message; throws StateWriteRefusedError on a malformed key or value. */
export function formatMessage(message: string, trailers: Record<string, string>): string {
  const body = message.replace(/\r/g, '').trim();
  if (body === '') throw new StateWriteRefusedError('state commit message is empty');
  if (body.includes('\0')) throw new StateWriteRefusedError('state commit message contains NUL');
  const lines = Object.entries(trailers).map(([key, value]) => {
    if (!KEY.test(key)) {
      throw new StateWriteRefusedError(
        `trailer key ${JSON.stringify(key)} is not valid`,
        'Use letters, digits and hyphens, e.g. Certops-Operation.',
      );
    }
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw new StateWriteRefusedError(`trailer ${key} must be a single-line string`);
    }
    return `${key}: ${value.trim()}`.trimEnd();
  });
  return lines.length === 0 ? `${body}\n` : `${body}\n\n${lines.join('\n')}\n`;
}

/** Splits a commit message into the message and its trailers (the last paragraph, if all lines
 * of it are `Key: value` and it is not the only paragraph). */
export function parseMessage(raw: string): { message: string; trailers: Record<string, string> } {
  const text = raw.replace(/\r/g, '').trim();
  const cut = text.lastIndexOf('\n\n');
  if (cut === -1) return { message: text, trailers: {} };
  const last = text.slice(cut + 2).split('\n');
  const matches = last.map((l) => LINE.exec(l));
  if (matches.some((m) => m === null)) return { message: text, trailers: {} };
  const trailers: Record<string, string> = {};
  for (const m of matches) if (m) trailers[m[1] ?? ''] = (m[2] ?? '').trim();
  return { message: text.slice(0, cut).trimEnd(), trailers };
}
