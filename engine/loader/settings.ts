// certops.yaml: repository-wide settings, read before anything else (they set the input limits).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import type { SettingsSpec } from '../model/types.generated.ts';
import { DEFAULT_LIMITS, type Limits } from './limits.ts';
import { parseYamlFile } from './parse-file.ts';
import { schemaDiagnostics } from './schema-diagnostics.ts';

export const SETTINGS_FILE = 'certops.yaml';

export interface LoadedSettings {
  settings: SettingsSpec;
  limits: Limits;
  text?: string;
  diagnostics: Diagnostic[];
}

export async function loadSettings(root: string): Promise<LoadedSettings> {
  const bytes = await readFile(path.join(root, SETTINGS_FILE)).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (!bytes) return { settings: {}, limits: DEFAULT_LIMITS, diagnostics: [] };
  const parsed = parseYamlFile(SETTINGS_FILE, bytes, DEFAULT_LIMITS);
  const out: LoadedSettings = {
    settings: {},
    limits: DEFAULT_LIMITS,
    text: parsed.text,
    diagnostics: parsed.diagnostics,
  };
  const doc = parsed.docs[0];
  if (!doc) return out;
  const found = schemaDiagnostics('Settings', doc.value, (p) => ({
    file: SETTINGS_FILE,
    text: parsed.text,
    docIndex: doc.index,
    path: p,
  }));
  out.diagnostics.push(...found);
  if (found.length > 0) return out;
  const spec = ((doc.value as { spec?: SettingsSpec }).spec ?? {}) as SettingsSpec;
  out.settings = spec;
  out.limits = { ...DEFAULT_LIMITS, ...(spec.limits ?? {}) };
  return out;
}
