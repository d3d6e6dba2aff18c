// Certificate serial numbers: 16 random bytes, top bit cleared so the DER INTEGER is positive
// without a padding byte, first byte non-zero so the encoding is minimal and always 16 bytes.
// That leaves 127 * 2^120 values (~127 bits of entropy), well above the 64 bits CAs must use.
import { randomBytes } from 'node:crypto';

/** A fresh serial as 32 lower-case hex digits. */
export function randomSerialHex(): string {
  for (;;) {
    const bytes = randomBytes(16);
    bytes[0] = (bytes[0] ?? 0) & 0x7f;
    if (bytes[0] !== 0) return bytes.toString('hex');
  }
}
