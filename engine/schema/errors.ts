// Turns ajv's errors into findings a person can act on: one per place, worded plainly, with a
// suggestion for misspelt keys and values.
import type { DiagnosticCode } from '../diagnostic-codes.ts';
import type { ErrorObject } from 'ajv';
import type { PathSegment } from '../loader/positions.ts';
import { closest } from '../util/suggest.ts';

export interface SchemaFinding {
  code: DiagnosticCode;
  /** Path of the offending value (for a missing field: of the object that lacks it). */
  path: PathSegment[];
  /** Where to point: the key (unknown/missing fields) or the value. */
  at: 'key' | 'value';
  message: string;
  hint: string;
  /** True when the finding is about a field that is absent, so it belongs to the object's own file. */
  missing?: boolean;
}

function segmentsOf(pointer: string, data: unknown): PathSegment[] {
  if (!pointer) return [];
  const out: PathSegment[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur =
        typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let cur = data;
  for (const s of path)
    cur =
      typeof cur === 'object' && cur !== null
        ? (cur as Record<string | number, unknown>)[s]
        : undefined;
  return cur;
}

const describe = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'object'
        ? 'a mapping'
        : `${typeof v} ${JSON.stringify(v)}`;

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
};

const PATTERN_WORDS: [RegExp, string, string][] = [
  [
    /\/\$defs\/duration\//,
    'is not a duration',
    'Write a number followed by d, h, m or s, e.g. 90d, 720h or 90m.',
  ],
  [
    /\/\$defs\/name\//,
    'is not a valid name',
    'Names are 1-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit.',
  ],
  [/\/fileMode\//, 'is not a file mode', 'Write an octal mode as a string, e.g. "0644".'],
];

/** Findings for one validation run; at most one per path, the most specific kept. */
export function explainSchemaErrors(
  errors: readonly ErrorObject[],
  data: unknown,
): SchemaFinding[] {
  const out = new Map<string, SchemaFinding>();
  const add = (f: SchemaFinding): void => {
    const key = `${f.path.join('\0')}|${f.code}|${f.message}`;
    if (!out.has(key)) out.set(key, f);
  };
  const specific = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'allOf'].includes(e.keyword));
  const list = specific.length > 0 ? specific : errors;
  for (const e of list) {
    const path = segmentsOf(e.instancePath, data);
    const value = valueAt(data, path);
    const parent = e.parentSchema as { properties?: Record<string, unknown> } | undefined;
    if (
      /\/\$defs\/secretRef\//.test(e.schemaPath) &&
      (e.keyword === 'type' || e.keyword === 'additionalProperties')
    ) {
      // Never echo the value: it may be the secret itself, and diagnostics end up in CI logs.
      add({
        code: 'inline-secret',
        path,
        at: 'value',
        message:
          'must name where the secret comes from ({ env: NAME } or { file: PATH }), not hold the secret',
        hint: 'Secrets never go into certs.d: remove the value from the file (and rotate it if it was committed), then refer to an environment variable or file.',
      });
      continue;
    }
    switch (e.keyword) {
      case 'additionalProperties': {
        const field = (e.params as { additionalProperty: string }).additionalProperty;
        const guess = closest(field, Object.keys(parent?.properties ?? {}));
        add({
          code: 'unknown-field',
          path: [...path, field],
          at: 'key',
          message: `unknown field "${field}"`,
          hint: guess
            ? `Did you mean "${guess}"?`
            : `Remove it; allowed here: ${Object.keys(parent?.properties ?? {}).join(', ')}.`,
        });
        break;
      }
      case 'required': {
        const field = (e.params as { missingProperty: string }).missingProperty;
        add({
          code: 'missing-field',
          path,
          at: 'key',
          missing: true,
          message: `missing required field "${field}"`,
          hint: `Add "${field}" here (or in a _defaults.yaml above this file).`,
        });
        break;
      }
      case 'type': {
        const want = String((e.params as { type: string }).type)
          .split(',')
          .map((t) => TYPE_WORDS[t] ?? t)
          .join(' or ');
        add({
          code: 'wrong-type',
          path,
          at: 'value',
          message: `must be ${want}, not ${describe(value)}`,
          hint: `Write ${want} here.`,
        });
        break;
      }
      case 'enum':
      case 'const': {
        const allowed =
          e.keyword === 'enum'
            ? (e.params as { allowedValues: unknown[] }).allowedValues
            : [(e.params as { allowedValue: unknown }).allowedValue];
        const guess = typeof value === 'string' ? closest(value, allowed.map(String)) : undefined;
        add({
          code: 'bad-value',
          path,
          at: 'value',
          message: `${describe(value)} is not allowed; expected ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
          hint: guess
            ? `Did you mean ${JSON.stringify(guess)}?`
            : `Use one of the expected values.`,
        });
        break;
      }
      case 'discriminator': {
        const p = e.params as { error: string; tag: string; tagValue?: unknown };
        add({
          code: 'bad-value',
          path: [...path, p.tag],
          at: 'value',
          message:
            p.error === 'mapping'
              ? `unknown type ${JSON.stringify(p.tagValue)}`
              : `"${p.tag}" must be a string`,
          hint: "See the kind's types in docs/reference/kinds.md.",
        });
        break;
      }
      case 'pattern': {
        const known = PATTERN_WORDS.find(([re]) => re.test(e.schemaPath));
        add({
          code: known
            ? known[1] === 'is not a duration'
              ? 'bad-duration'
              : 'bad-value'
            : 'bad-value',
          path,
          at: 'value',
          message: `${describe(value)} ${known ? known[1] : `does not match ${(e.params as { pattern: string }).pattern}`}`,
          hint: known ? known[2] : 'Correct the value.',
        });
        break;
      }
      case 'format':
        add({
          code: 'bad-value',
          path,
          at: 'value',
          message: `${describe(value)} is not a valid ${(e.params as { format: string }).format}`,
          hint: 'Correct the value.',
        });
        break;
      default:
        add({
          code: 'bad-value',
          path,
          at: 'value',
          message: `${describe(value)} ${e.message ?? 'is invalid'}`,
          hint: 'Correct the value.',
        });
    }
  }
  return [...out.values()];
}
