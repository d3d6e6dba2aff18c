// Domain names as certops handles them: lower-case, no trailing dot, the root as ''. Names we
// send are checked (RFC 1035 §2.3.4: labels of 1–63 octets, at most 255 octets on the wire);
// names read from a response are decoded with bounds checks and loop-proof compression.
import { ExternalError, UsageError } from '../../../errors.ts';

const LABEL = /^[a-z0-9_*]([a-z0-9_-]*[a-z0-9_])?$/;

/** The error every malformed packet becomes: a clear message, never a hang or a crash. */
export function malformed(reason: string): ExternalError {
  return new ExternalError(`malformed DNS message: ${reason}`, {
    hint: 'The server (or something on the path) answered with a broken packet.',
  });
}

/**
 * Checks and normalises a name we are about to send (`Example.COM.` → `example.com`).
 * Letters, digits, `-`, `_` (for `_acme-challenge`) and a leading `*` label only.
 */
export function normalizeName(text: string): string {
  const name = text.replace(/\.$/, '').toLowerCase();
  if (name === '') return '';
  const labels = name.split('.');
  for (const l of labels) {
    if (l.length === 0) throw new UsageError(`DNS name "${text}" has an empty label`);
    if (l.length > 63) throw new UsageError(`DNS name "${text}" has a label over 63 octets`);
    if (!LABEL.test(l) || (l.includes('*') && l !== '*'))
      throw new UsageError(`DNS name "${text}" has a label with characters DNS cannot carry`);
  }
  if (wireLength(name) > 255) throw new UsageError(`DNS name "${text}" is over 255 octets`);
  return name;
}

function wireLength(name: string): number {
  return name === '' ? 1 : name.length + 2;
}

/** Wire form without compression (RFC 1035 §3.1). The name must be normalised. */
export function encodeName(name: string): Buffer {
  if (name === '') return Buffer.from([0]);
  const parts: Buffer[] = [];
  for (const l of name.split('.')) parts.push(Buffer.from([l.length]), Buffer.from(l, 'ascii'));
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** True when `name` is `zone` or below it. */
export function isSubdomain(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}

const MAX_JUMPS = 64;

/**
 * Reads a possibly compressed name at `offset`. Returns the name and the offset after it in
 * the original position. A pointer must point before the label that holds it, so a chain of
 * pointers always moves backwards and ends; the jump count is bounded as well.
 */
export function decodeName(buf: Uint8Array, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  let jumps = 0;
  let length = 1;
  for (;;) {
    if (pos >= buf.length) throw malformed(`name at offset ${offset} runs past the end`);
    const len = buf[pos] as number;
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw malformed(`name at offset ${offset} runs past the end`);
      const target = ((len & 0x3f) << 8) | (buf[pos + 1] as number);
      if (target >= pos)
        throw malformed(`compression pointer at offset ${pos} does not point back`);
      if (++jumps > MAX_JUMPS) throw malformed(`too many compression pointers at offset ${offset}`);
      if (next < 0) next = pos + 2;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw malformed(`unknown label type at offset ${pos}`);
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if (pos + 1 + len > buf.length) throw malformed(`label at offset ${pos} runs past the end`);
    length += len + 1;
    if (length > 255) throw malformed(`name at offset ${offset} is over 255 octets`);
    labels.push(labelText(buf.subarray(pos + 1, pos + 1 + len)));
    pos += 1 + len;
  }
  return { name: labels.join('.'), next };
}

/** Printable, lower-cased label text; other octets (and `.`, `\`) escaped as \DDD. */
function labelText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    const c = b >= 0x41 && b <= 0x5a ? b + 32 : b;
    s +=
      c > 0x20 && c < 0x7f && c !== 0x2e && c !== 0x5c
        ? String.fromCharCode(c)
        : `\\${String(c).padStart(3, '0')}`;
  }
  return s;
}
