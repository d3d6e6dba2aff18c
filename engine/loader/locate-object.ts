// Where a path of an object's effective value is written: in the object's own file, a
// _defaults.yaml above it, or its profile.
import type { DiagnosticCode } from '../diagnostic-codes.ts';
import type { Diagnostic, Severity } from '../diagnostics.ts';
import { formatPath } from '../diagnostics.ts';
import { originOf } from '../model/merge.ts';
import type { ModelObject } from '../model/object.ts';
import { locate, type PathSegment } from './positions.ts';
import type { Where } from './schema-diagnostics.ts';

export function whereInObject(
  texts: ReadonlyMap<string, string>,
  obj: Pick<ModelObject, 'layers' | 'source'>,
  path: PathSegment[],
  ownOnly = false,
): Where {
  const own: Where = {
    file: obj.source.file,
    text: texts.get(obj.source.file) ?? '',
    docIndex: obj.source.docIndex,
    path,
  };
  if (ownOnly) return own;
  const origin = originOf(obj.layers, path);
  if (!origin?.layer.source) return own;
  const src = origin.layer.source;
  return {
    file: src.file,
    text: texts.get(src.file) ?? '',
    docIndex: src.docIndex,
    path: origin.pathInDoc,
  };
}

export interface Finding {
  severity?: Severity;
  code: DiagnosticCode;
  path: PathSegment[];
  message: string;
  hint?: string;
  at?: 'key' | 'value';
}

/** A finding about an object, located where the offending value is written. */
export function objectDiagnostic(
  texts: ReadonlyMap<string, string>,
  obj: ModelObject,
  f: Finding,
): Diagnostic {
  const w = whereInObject(texts, obj, f.path);
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
