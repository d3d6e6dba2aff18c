// `certops validate`: load, check the schema, run the checks. Returns everything found.
import type { Diagnostic } from '../diagnostics.ts';
import { normalizeDiagnostics } from '../diagnostics.ts';
import { loadRepository, type Progress } from '../loader/load.ts';
import type { Model } from '../model/object.ts';
import { checkModel } from './index.ts';

export interface ValidationReport {
  model: Model;
  diagnostics: Diagnostic[];
  files: number;
  errors: number;
  warnings: number;
}

export async function validateRepository(
  root: string,
  opts: { now: Date; progress?: Progress },
): Promise<ValidationReport> {
  const loaded = await loadRepository(root, opts.progress);
  const diagnostics = normalizeDiagnostics([
    ...loaded.diagnostics,
    ...checkModel(loaded.model, opts.now),
  ]);
  return {
    model: loaded.model,
    diagnostics,
    files: loaded.files,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
}
