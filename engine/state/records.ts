// Minimal shape checks for what is read from (or about to be written to) the state branch. The
// branch is untrusted input: anything may have been pushed to it. Checks cover required fields and
// their types, not business rules; extra fields are kept as they are.
import type { InventoryRecord, JournalStep, Operation } from './types.ts';

type Check = (v: unknown) => string | null;

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const str: Check = (v) => (typeof v === 'string' ? null : 'must be a string');
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'must be a boolean');
const optional =
  (c: Check): Check =>
  (v) =>
    v === undefined ? null : c(v);
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`;
const arrayOf =
  (c: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) return 'must be an array';
    for (const [i, item] of v.entries()) {
      const e = c(item);
      if (e !== null) return `[${i}] ${e}`;
    }
    return null;
  };
const record =
  (c: Check): Check =>
  (v) => {
    if (!isObj(v)) return 'must be an object';
    for (const [k, item] of Object.entries(v)) {
      const e = c(item);
      if (e !== null) return `.${k} ${e}`;
    }
    return null;
  };
const shape =
  (fields: Record<string, Check>): Check =>
  (v) => {
    if (!isObj(v)) return 'must be an object';
    for (const [k, c] of Object.entries(fields)) {
      const e = c(v[k]);
      if (e !== null) return `.${k} ${e}`;
    }
    return null;
  };

export const JOURNAL_STEPS: readonly JournalStep[] = [
  'started',
  'key-ready',
  'ordered',
  'issue-failed',
  'issued',
  'deploying',
  'deployed',
  'verified',
  'deploy-failed',
  'rolled-back',
  'removed',
  'recorded',
  'failed',
  'abandoned',
];
/** Appending one of these closes an operation. */
export const CLOSING_STEPS: readonly JournalStep[] = ['recorded', 'failed', 'abandoned'];

const checkTarget = shape({
  target: str,
  deployName: str,
  fingerprintSha256: str,
  deployedAt: str,
  verifiedAt: optional(str),
});

const checkInventory = shape({
  name: str,
  state: oneOf(['active', 'retired', 'revoked']),
  ...Object.fromEntries(
    ['issuer', 'issuerDn', 'serial', 'fingerprintSha256', 'notBefore', 'notAfter']
      .concat(['keyAlgorithm', 'specHash', 'keyPolicyHash', 'certificatePem', 'chainPem'])
      .concat(['desiredCommit', 'operation', 'updatedAt'])
      .map((k) => [k, str]),
  ),
  dnsNames: arrayOf(str),
  ipAddresses: arrayOf(str),
  targets: arrayOf(checkTarget),
  previous: arrayOf(shape({ serial: str, notAfter: str, retiredAt: str })),
});

const checkEvent = shape({
  step: oneOf(JOURNAL_STEPS),
  at: str,
  target: optional(str),
  detail: optional(record(str)),
});

const checkOperation = shape({
  id: str,
  certificate: str,
  action: str,
  reasons: arrayOf(str),
  desiredCommit: str,
  events: arrayOf(checkEvent),
  closed: bool,
});

/** null when `v` has the shape of an InventoryRecord, else the first problem found. */
export function inventoryProblem(v: unknown): string | null {
  return checkInventory(v);
}

/** null when `v` has the shape of an Operation, else the first problem found. */
export function operationProblem(v: unknown): string | null {
  return checkOperation(v);
}

export function isInventoryRecord(v: unknown): v is InventoryRecord {
  return checkInventory(v) === null;
}

export function isOperation(v: unknown): v is Operation {
  return checkOperation(v) === null;
}
