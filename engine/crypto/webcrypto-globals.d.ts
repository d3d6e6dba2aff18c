// The WebCrypto key types as globals. TypeScript declares them only in the DOM lib, which this
// Node project does not load; @types/node has them under `webcrypto`. Interfaces across the
// engine (crypto/types.ts, apply/) name `CryptoKey` directly, as Node's runtime does.
import type { webcrypto } from 'node:crypto';

declare global {
  type CryptoKey = webcrypto.CryptoKey;
  type CryptoKeyPair = webcrypto.CryptoKeyPair;
  type Crypto = webcrypto.Crypto;
}
