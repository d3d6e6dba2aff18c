// Where a path of an object's effective value is written: in the object's own file, a
// _defaults.yaml above it, or its profile.
import type { Diagnostic } from '../diagnostics.ts';
import { originOf } from '../model/merge.ts';
import type { ModelObject } from '../model/object.ts';
import type { PathSegment } from './positions.ts';
import { diagnosticAt, type Finding, type Where } from './where.ts';

export type { Finding } from './where.ts';

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

/** A finding about an object, located where the offending value is written. */
export function objectDiagnostic(
  texts: ReadonlyMap<string, string>,
  obj: ModelObject,
  f: Finding,
): Diagnostic {
  return diagnosticAt(whereInObject(texts, obj, f.path), f);
}
