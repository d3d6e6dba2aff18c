// Schema validation of one value, with each finding located in the file that wrote it.
import type { Diagnostic } from '../diagnostics.ts';
import { formatPath } from '../diagnostics.ts';
import { explainSchemaErrors, type SchemaFinding } from '../schema/errors.ts';
import { validatorFor } from '../schema/registry.ts';
import type { SCHEMA_FILE } from '../model/kinds.ts';
import { locate, type PathSegment } from './positions.ts';

export interface Where {
  file: string;
  text: string;
  docIndex: number;
  /** Path inside that document. */
  path: PathSegment[];
}

/** Validates `value`; `whereIs` maps a path in the value to where it is written. */
export function schemaDiagnostics(
  schema: keyof typeof SCHEMA_FILE,
  value: unknown,
  whereIs: (path: PathSegment[], finding: SchemaFinding) => Where,
): Diagnostic[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  return explainSchemaErrors(validate.errors ?? [], value).map((f) => {
    const w = whereIs(f.path, f);
    const pos = locate(w.text, w.docIndex, w.path, f.at);
    return {
      severity: 'error',
      code: f.code,
      file: w.file,
      line: pos.line,
      col: pos.col,
      path: formatPath(w.path),
      message: f.message,
      hint: f.hint,
    };
  });
}
