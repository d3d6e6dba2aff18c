// Built-in defaults: the lowest layer of every Certificate, computed from what the higher layers
// chose (an RSA key gets an RSA size and key usages). Documented in docs/reference/kinds.md.
type Plain = Record<string, unknown>;

const DEFAULT_SIZE: Record<string, number> = { ECDSA: 256, RSA: 3072 };

export function certificateBuiltins(merged: Plain): Plain {
  const spec = (merged.spec ?? {}) as Plain;
  const key = (spec.privateKey ?? {}) as Plain;
  const algorithm = typeof key.algorithm === 'string' ? key.algorithm : 'ECDSA';
  const privateKey: Plain = { algorithm, rotation: 'always' };
  const size = DEFAULT_SIZE[algorithm];
  if (size !== undefined) privateKey.size = size;
  const out: Plain = {
    state: 'active',
    privateKey,
    duration: '90d',
    keyUsages: algorithm === 'RSA' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'],
    extendedKeyUsages: ['serverAuth'],
  };
  if (spec.renewBefore === undefined && spec.renewBeforePercentage === undefined) {
    out.renewBeforePercentage = 33;
  }
  return { spec: out };
}
