// PEM encoding and decoding (RFC 7468). PEM text is untrusted input (target files, discovery,
// pasted chains): every failure is an ExternalError naming what was wrong, never a crash.
import { ExternalError } from '../errors.ts';

export interface PemBlock {
  label: string;
  der: Uint8Array;
  /** The block re-encoded canonically (64-column base64, '\n' line ends, trailing newline). */
  pem: string;
}

const MAX_PEM_CHARS = 16 * 1024 * 1024;
// A block: BEGIN line, base64 body (whitespace and RFC 1421 headers tolerated), END line. The
// END is found with indexOf, not a lazy regex, so many unterminated BEGINs stay linear.
const BEGIN = /-----BEGIN ([A-Z0-9 ]{1,64})-----/g;
const END = /^-----END ([A-Z0-9 ]{1,64})-----/;
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

/** Encodes DER bytes as a PEM block with `label` (e.g. 'CERTIFICATE'). */
export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Every PEM block in `text`, in order. Text between blocks (comments, `openssl x509 -text` output,
 * blank lines) is ignored; a block that is malformed (mismatched END, bad base64) is an error.
 */
export function pemBlocks(text: string, what = 'PEM input'): PemBlock[] {
  if (typeof text !== 'string') throw new ExternalError(`${what} is not text`);
  if (text.length > MAX_PEM_CHARS) {
    throw new ExternalError(`${what} is too large (${text.length} characters)`);
  }
  const out: PemBlock[] = [];
  const begins = new RegExp(BEGIN.source, 'g');
  for (let m = begins.exec(text); m !== null; m = begins.exec(text)) {
    const label = m[1] ?? '';
    const endAt = text.indexOf('-----END ', begins.lastIndex);
    if (endAt < 0) break; // unterminated: text after the last block, ignored like other junk
    const end = END.exec(text.slice(endAt, endAt + 80))?.[1];
    if (end !== label) {
      throw new ExternalError(`${what}: block "BEGIN ${label}" ends with "END ${end ?? '?'}"`);
    }
    const der = decodeBody(text.slice(begins.lastIndex, endAt), label, what);
    out.push({ label, der, pem: pemEncode(label, der) });
    begins.lastIndex = endAt + `-----END ${label}-----`.length;
  }
  return out;
}

function decodeBody(body: string, label: string, what: string): Uint8Array {
  // RFC 1421 headers ("Proc-Type: ...") precede a blank line; they only occur on legacy keys.
  const lines = body.split(/\r?\n/).filter((l) => !/^[A-Za-z-]+:/.test(l.trim()));
  const b64 = lines.join('').replace(/\s+/g, '');
  if (b64.length === 0 || !BASE64_BODY.test(b64) || b64.length % 4 === 1) {
    throw new ExternalError(`${what}: the ${label} block is not valid base64`);
  }
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/**
 * Splits a certificate chain into canonical PEM blocks, leaf first as written. Refuses any block
 * that is not a CERTIFICATE (a private key pasted into a chain must not travel further), and
 * text with no certificate at all.
 */
export function splitPemChain(text: string, what = 'certificate chain'): string[] {
  const blocks = pemBlocks(text, what);
  const other = blocks.find((b) => b.label !== 'CERTIFICATE');
  if (other) {
    throw new ExternalError(
      `${what} holds a "${other.label}" block; only CERTIFICATE blocks are allowed`,
      {
        hint: 'Keep private keys and other material out of certificate files.',
      },
    );
  }
  if (blocks.length === 0) {
    throw new ExternalError(`${what} holds no PEM certificate`, {
      hint: 'Expected one or more "-----BEGIN CERTIFICATE-----" blocks.',
    });
  }
  return blocks.map((b) => b.pem);
}

/** The DER of the single block with `label`; refuses zero, several, or other blocks. */
export function pemDecodeOne(text: string, label: string, what = 'PEM input'): Uint8Array {
  const blocks = pemBlocks(text, what);
  const first = blocks[0];
  if (blocks.length !== 1 || first === undefined) {
    throw new ExternalError(
      `${what}: expected one ${label} block, found ${blocks.length} PEM blocks`,
    );
  }
  if (first.label !== label) {
    throw new ExternalError(`${what}: expected a ${label} block, found "${first.label}"`);
  }
  return first.der;
}
