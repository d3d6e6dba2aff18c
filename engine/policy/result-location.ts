// Where a policy result points: its `path` (in the certificate's effective spec, e.g.
// `spec.privateKey.size`, `spec.dnsNames[1]`, `spec.deploy[0].target`) is traced through the
// object's layers to the YAML line that sets the value (its own file, its profile or a
// _defaults.yaml), as validate's findings are. Computed fields map to the field that sets them
// (policies/README.md, "Results"). A result without a path, or with one no layer sets (a
// built-in default, a field the spec does not have), points at the object's own document.
// Pure: reads only model.texts.
import { formatPath } from '../diagnostics.ts';
import { whereInObject } from '../loader/locate-object.ts';
import { locate, type PathSegment } from '../loader/positions.ts';
import { mergeLayers, originOf } from '../model/merge.ts';
import { findObject, type Model, type ModelObject } from '../model/object.ts';
import type { Kind } from '../model/kinds.ts';
import type { PolicyResult } from './waivers.ts';

/** A Diagnostic-style location: `file:line:col` and the dotted path inside that document. */
export interface ResultLocation {
  /** Repository-relative. */
  file: string;
  /** 1-based. */
  line: number;
  col: number;
  /** Path inside `file`'s document (`spec.Certificate.spec.deploy[0].target` in a _defaults.yaml); '' for the document itself. */
  path: string;
}

/**
 * Parses `spec.a.b[1]["odd key"]` into segments; undefined when it is not such a path.
 * The inverse of diagnostics.ts formatPath.
 */
export function parseResultPath(path: string): PathSegment[] | undefined {
  const segs: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '[') {
      const idx = /^\[(\d+)\]/.exec(path.slice(i));
      if (idx?.[1] !== undefined) {
        segs.push(Number(idx[1]));
        i += idx[0].length;
        continue;
      }
      const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(path.slice(i));
      if (quoted?.[1] === undefined) return undefined;
      segs.push(JSON.parse(quoted[1]) as string);
      i += quoted[0].length;
      continue;
    }
    if (segs.length > 0) {
      if (path[i] !== '.') return undefined; // keys after the first follow a dot
      i++;
    }
    const ident = /^[A-Za-z_$][\w$-]*/.exec(path.slice(i));
    if (!ident) return undefined;
    segs.push(ident[0]);
    i += ident[0].length;
  }
  return segs.length > 0 ? segs : undefined;
}

/** Computed input fields → the spec field that sets them in this object. */
function settingField(obj: Pick<ModelObject, 'layers'>, segs: PathSegment[]): PathSegment[] {
  const key = formatPath(segs);
  if (key !== 'spec.renewBefore' && key !== 'spec.renewBeforePercentage') return segs;
  const spec = mergeLayers(obj.layers).spec as Record<string, unknown> | undefined;
  if (spec && !(String(segs[1]) in spec)) {
    const other = key === 'spec.renewBefore' ? 'renewBeforePercentage' : 'renewBefore';
    if (other in spec) return ['spec', other];
  }
  return segs;
}

/** The location of `path` (effective-spec path of a result) in `obj`. */
export function locateInObject(
  texts: ReadonlyMap<string, string>,
  obj: Pick<ModelObject, 'layers' | 'source'>,
  path: string | undefined,
): ResultLocation {
  const own: ResultLocation = {
    file: obj.source.file,
    line: obj.source.line,
    col: obj.source.col,
    path: '',
  };
  const parsed = path === undefined ? undefined : parseResultPath(path);
  if (!parsed) return own;
  const segs = settingField(obj, parsed);
  if (!originOf(obj.layers, segs)?.layer.source) return own;
  const w = whereInObject(texts, obj, segs);
  const pos = locate(w.text, w.docIndex, w.path, 'value');
  return { file: w.file, line: pos.line, col: pos.col, path: formatPath(w.path) };
}

/** The location of a result about a model object; undefined when its subject is not in the model. */
export function locateResult(
  model: Model,
  result: Pick<PolicyResult, 'subject' | 'path'>,
): ResultLocation | undefined {
  const obj = findObject(model, result.subject.kind as Kind, result.subject.name);
  return obj ? locateInObject(model.texts, obj, result.path) : undefined;
}
