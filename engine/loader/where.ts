// A place in the repository (file, document, path inside it) and the Diagnostic for a finding
// there; the one way findings get their file:line:col.
import type { DiagnosticCode } from '../diagnostic-codes.ts';
import type { Diagnostic, Severity } from '../diagnostics.ts';
import { formatPath } from '../diagnostics.ts';
import { locate, type PathSegment } from './positions.ts';

export interface Where {
  file: string;
  text: string;
  docIndex: number;
  /** Path inside that document. */
  path: PathSegment[];
}

export interface Finding {
  severity?: Severity;
  code: DiagnosticCode;
  path: PathSegment[];
  message: string;
  hint?: string;
  /** Point at the key (a field that should not be there) or the value (default). */
  at?: 'key' | 'value';
}

export function diagnosticAt(w: Where, f: Omit<Finding, 'path'>): Diagnostic {
  const pos = locate(w.text, w.docIndex, w.path, f.at ?? 'value');
  const d: Diagnostic = {
    severity: f.severity ?? 'error',
    code: f.code,
    file: w.file,
    line: pos.line,
    col: pos.col,
    path: formatPath(w.path),
    message: f.message,
  };
  if (f.hint) d.hint = f.hint;
  return d;
}
