// Detection of private-key material in bytes about to enter Git (or already in its history).
// Cheap and conservative: PEM/OpenSSH/PGP/PuTTY private-key headers anywhere, a JWK carrying a
// private "d" member, and blobs that are exactly one DER private-key structure (PKCS#8, PKCS#1,
// SEC1, PKCS#12). Public certificates, CSRs and public keys do not match.
import { KeyMaterialError } from './errors.ts';

const PEM_PRIVATE = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/;
const PUTTY_PRIVATE = /PuTTY-User-Key-File-\d+:/;
// JSON or JSON escaped inside a JSON string: a "kty" member and a long "d" member.
const JWK_KTY = /\\?"kty\\?"\s*:/;
const JWK_D = /\\?"d\\?"\s*:\s*\\?"[A-Za-z0-9_-]{16,}/;

/** The kind of private-key material found in `content`, or null. */
export function findKeyMaterial(content: string | Uint8Array): string | null {
  const text = typeof content === 'string' ? content : Buffer.from(content).toString('latin1');
  const pem = PEM_PRIVATE.exec(text);
  if (pem) return pem[0].slice(11, -5);
  if (PUTTY_PRIVATE.test(text)) return 'PuTTY private key';
  if (JWK_KTY.test(text) && JWK_D.test(text)) return 'JWK private key';
  return typeof content === 'string' ? null : derPrivateKeyKind(content);
}

/** Throws KeyMaterialError (before anything is written) when `content` carries a private key. */
export function assertNoKeyMaterial(where: string, content: string | Uint8Array): void {
  const kind = findKeyMaterial(content);
  if (kind !== null) throw new KeyMaterialError(where, kind);
}

/** Reads a DER length at `at`; returns [length, header bytes] or null. */
function derLength(b: Uint8Array, at: number): [number, number] | null {
  const first = b[at];
  if (first === undefined) return null;
  if (first < 0x80) return [first, 1];
  const n = first & 0x7f;
  if (n === 0 || n > 3 || at + n >= b.length) return null;
  let len = 0;
  for (let i = 1; i <= n; i++) len = len * 256 + (b[at + i] ?? 0);
  return [len, 1 + n];
}

/** A blob that is exactly one DER SEQUENCE shaped like a private-key container. */
export function derPrivateKeyKind(b: Uint8Array): string | null {
  if (b.length < 8 || b[0] !== 0x30) return null;
  const outer = derLength(b, 1);
  if (!outer || 1 + outer[1] + outer[0] !== b.length) return null;
  const p = 1 + outer[1];
  // INTEGER version (02 01 vv), then the tag of the next element.
  if (b[p] !== 0x02 || b[p + 1] !== 0x01) return null;
  const version = b[p + 2];
  const next = b[p + 3];
  if ((version === 0 || version === 1) && next === 0x30) return 'PKCS#8 DER private key';
  if (version === 0 && next === 0x02) return 'PKCS#1 DER private key';
  if (version === 1 && next === 0x04) return 'SEC1 DER EC private key';
  if (version === 3 && next === 0x30) return 'PKCS#12 DER key store';
  return null;
}
