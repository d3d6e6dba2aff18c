// A bundle's `/.manifest`: OPA's fields, validated against schemas/bundle-manifest.schema.json.
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../../diagnostics.ts';
import { formatPath } from '../../diagnostics.ts';
import { validatorFor } from '../../schema/registry.ts';

export interface ManifestWasm {
  readonly entrypoint: string;
  readonly module: string;
}

/** OPA's manifest (fields OPA may add later are kept but not typed). certops-built bundles
 * always set revision, roots, wasm and metadata. */
export interface Manifest {
  readonly revision?: string;
  readonly roots?: readonly string[];
  readonly wasm?: readonly ManifestWasm[];
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly rego_version?: number;
}

function fieldPath(e: ErrorObject): string {
  const segs = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
  if (e.keyword === 'required')
    segs.push((e.params as { missingProperty: string }).missingProperty);
  return formatPath(segs);
}

/** Diagnostics for `value` as a manifest (empty when valid), located in `file`. */
export function checkManifest(value: unknown, file: string): Diagnostic[] {
  const validate = validatorFor('BundleManifest');
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => ({
    severity: 'error',
    code: 'bundle-manifest',
    file,
    line: 0,
    col: 0,
    path: fieldPath(e),
    message: `.manifest ${fieldPath(e) || '(document)'} ${e.message ?? 'is invalid'}`,
  }));
}
