// Schema validation of one value, with each finding located in the file that wrote it.
import type { Diagnostic } from '../diagnostics.ts';
import type { SCHEMA_FILE } from '../model/kinds.ts';
import { explainSchemaErrors, type SchemaFinding } from '../schema/errors.ts';
import { validatorFor } from '../schema/registry.ts';
import type { PathSegment } from './positions.ts';
import { diagnosticAt, type Where } from './where.ts';

export type { Where } from './where.ts';

/** Validates `value`; `whereIs` maps a path in the value to where it is written. */
export function schemaDiagnostics(
  schema: keyof typeof SCHEMA_FILE,
  value: unknown,
  whereIs: (path: PathSegment[], finding: SchemaFinding) => Where,
): Diagnostic[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  return explainSchemaErrors(validate.errors ?? [], value).map((f) =>
    diagnosticAt(whereIs(f.path, f), f),
  );
}
