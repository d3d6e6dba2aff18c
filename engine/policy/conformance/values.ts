// JSON values as the conformance runner sees them (YAML read with intAsBigInt, results from the
// SDK or an exact reader), and OPA's order and equality over them. Contract: numbers compare by
// value across `number` and `bigint` (1 == 1n == 1.0); strings compare by code point (the same
// order as Go's byte-wise UTF-8 compare); kinds order null < boolean < number < string < array <
// object, as OPA's util.Compare does for JSON values.

export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

function rank(v: JsonValue): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
    default:
      return Array.isArray(v) ? 4 : 5;
  }
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Exact when both are integer-valued; otherwise compares as doubles. */
export function compareNumbers(a: number | bigint, b: number | bigint): number {
  const ai = typeof a === 'bigint' || Number.isInteger(a);
  const bi = typeof b === 'bigint' || Number.isInteger(b);
  if (ai && bi) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return sign(Number(a) - Number(b));
}

/** Code-point order: equals Go's byte-wise comparison of the UTF-8 encodings. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return sign(a.length - b.length);
}

/** A total order over JSON values (OPA's); 0 means equal by value. */
export function compareValues(a: JsonValue, b: JsonValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return sign(ra - rb);
  if (a === null || b === null) return 0;
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (typeof a === 'number' || typeof a === 'bigint') {
    return compareNumbers(a, b as number | bigint);
  }
  if (typeof a === 'string') return compareStrings(a, b as string);
  if (Array.isArray(a)) return compareArrays(a as JsonValue[], b as JsonValue[]);
  return compareObjects(a as Record<string, JsonValue>, b as Record<string, JsonValue>);
}

function compareArrays(a: readonly JsonValue[], b: readonly JsonValue[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i] as JsonValue, b[i] as JsonValue);
    if (c !== 0) return c;
  }
  return sign(a.length - b.length);
}

/** Objects: sorted keys pairwise (key, then value), then the number of keys. */
function compareObjects(
  a: Readonly<Record<string, JsonValue>>,
  b: Readonly<Record<string, JsonValue>>,
): number {
  const ak = Object.keys(a).sort(compareStrings);
  const bk = Object.keys(b).sort(compareStrings);
  const n = Math.min(ak.length, bk.length);
  for (let i = 0; i < n; i++) {
    const ka = ak[i] as string;
    const kb = bk[i] as string;
    const c = compareStrings(ka, kb) || compareValues(a[ka] as JsonValue, b[kb] as JsonValue);
    if (c !== 0) return c;
  }
  return sign(ak.length - bk.length);
}

/** Sorts and removes duplicates by value: a set of values in OPA's order. */
export function toSortedSet(values: readonly JsonValue[]): JsonValue[] {
  const sorted = [...values].sort(compareValues);
  return sorted.filter((v, i) => i === 0 || compareValues(sorted[i - 1] as JsonValue, v) !== 0);
}

/** A JSON-ish rendering for messages; bigints print as plain digits. */
export function showValue(v: unknown): string {
  const mark = '\u0000bigint:';
  const text = JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint' ? mark + String(x) : x,
  );
  return (text ?? 'undefined').replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}
