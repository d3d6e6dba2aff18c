// Key and certificate material as the lifecycle passes it around. Private keys exist in memory
// as CryptoKey objects and are serialised (PKCS#8 PEM) only to be written to a target or a key
// store outside the repository, with mode 0600. They never enter Git, logs or plan output.
export type KeyAlgorithm = 'ECDSA' | 'RSA' | 'Ed25519';

export interface KeySpec {
  algorithm: KeyAlgorithm;
  /** ECDSA: 256 | 384 | 521 (curve bits); RSA: modulus bits; Ed25519: absent. */
  size?: number;
}

export interface KeyPair {
  spec: KeySpec;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/** Makes key pairs; injected so tests can hand out pre-generated RSA keys (RSA generation is slow). */
export interface KeyFactory {
  generate(spec: KeySpec): Promise<KeyPair>;
}
