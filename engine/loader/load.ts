// Loads a repository's desired state: certops.yaml, certs.d/**/*.yaml and the _defaults.yaml
// files, into a Model of effective objects. Never throws on bad input and never writes: every
// problem is returned as a Diagnostic.
import type { DiagnosticCode } from '../diagnostic-codes.ts';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { normalizeDiagnostics } from '../diagnostics.ts';
import { API_VERSION, isKind, KINDS, type Kind, type KindTypes } from '../model/kinds.ts';
import { isPlainObject, mergeLayers } from '../model/merge.ts';
import type { Layer, Model, ModelObject, SourceDoc } from '../model/object.ts';
import { closest } from '../util/suggest.ts';
import { certificateBuiltins } from './builtins.ts';
import { whereInObject } from './locate-object.ts';
import { parseMany } from './parse-many.ts';
import type { ParsedFile, RawDoc } from './parse-file.ts';
import { locate } from './positions.ts';
import { schemaDiagnostics } from './schema-diagnostics.ts';
import { loadSettings } from './settings.ts';
import { walkDesiredState } from './walk.ts';

export const DESIRED_DIR = 'certs.d';

export interface LoadResult {
  model: Model;
  diagnostics: Diagnostic[];
  files: number;
}

interface Preset {
  source: SourceDoc;
  kind: Kind;
  value: Record<string, unknown>;
}

/** Reports long phases ("read", "check") with a count, for progress output; never required. */
export type Progress = (phase: 'read' | 'check', count: number) => void;

export async function loadRepository(root: string, progress?: Progress): Promise<LoadResult> {
  const absRoot = path.resolve(root);
  const settings = await loadSettings(absRoot);
  const diagnostics: Diagnostic[] = [...settings.diagnostics];
  const texts = new Map<string, string>();
  if (settings.text !== undefined) texts.set('certops.yaml', settings.text);

  const walked = await walkDesiredState(absRoot, DESIRED_DIR);
  progress?.('read', walked.files.length + walked.defaults.length);
  diagnostics.push(...walked.diagnostics);
  const parsed = parseMany(absRoot, [...walked.defaults, ...walked.files], settings.limits);
  for (const p of parsed) {
    texts.set(p.file, p.text);
    diagnostics.push(...p.diagnostics);
  }
  const presets = collectPresets(parsed.slice(0, walked.defaults.length), diagnostics);

  const objects: ModelObject[] = [];
  for (const p of parsed.slice(walked.defaults.length)) {
    for (const doc of p.docs) {
      const obj = objectFromDoc(p, doc, presets, diagnostics);
      if (obj) objects.push(obj);
    }
  }
  applyProfiles(objects);
  progress?.('check', objects.length);
  const model: Model = { root: absRoot, settings: settings.settings, objects, texts };
  for (const obj of objects) {
    const found = schemaDiagnostics(obj.kind, obj.value, (p, f) =>
      whereInObject(texts, obj, p, f.missing),
    );
    obj.valid = found.length === 0;
    diagnostics.push(...found);
  }
  return {
    model,
    diagnostics: normalizeDiagnostics(diagnostics),
    files: parsed.length + (settings.text ? 1 : 0),
  };
}

/** _defaults.yaml presets, by directory and kind. Invalid defaults files contribute nothing. */
function collectPresets(files: ParsedFile[], diagnostics: Diagnostic[]): Map<string, Preset[]> {
  const byDir = new Map<string, Preset[]>();
  for (const p of files) {
    const doc = p.docs[0];
    if (!doc) continue;
    if (p.docs.length > 1) {
      const at = p.docs[1] as RawDoc;
      diagnostics.push({
        severity: 'error',
        code: 'defaults-multiple-documents',
        file: p.file,
        line: at.line,
        col: at.col,
        path: '',
        message: 'a _defaults.yaml file holds one document',
        hint: 'Merge the documents into one.',
      });
      continue;
    }
    const found = schemaDiagnostics('Defaults', doc.value, (path) => ({
      file: p.file,
      text: p.text,
      docIndex: doc.index,
      path,
    }));
    diagnostics.push(...found);
    if (found.length > 0) continue;
    const spec = (doc.value as { spec: Record<string, Record<string, unknown>> }).spec;
    const list: Preset[] = [];
    for (const kind of KINDS) {
      const value = spec[kind];
      if (value)
        list.push({
          kind,
          value,
          source: { file: p.file, docIndex: doc.index, line: doc.line, col: doc.col },
        });
    }
    byDir.set(path.posix.dirname(p.file), list);
  }
  return byDir;
}

function objectFromDoc(
  p: ParsedFile,
  doc: RawDoc,
  presets: Map<string, Preset[]>,
  diagnostics: Diagnostic[],
): ModelObject | undefined {
  const fail = (
    code: DiagnosticCode,
    keyPath: string[],
    message: string,
    hint: string,
  ): undefined => {
    const pos = locate(p.text, doc.index, keyPath, 'value');
    diagnostics.push({
      severity: 'error',
      code,
      file: p.file,
      line: pos.line,
      col: pos.col,
      path: keyPath.join('.'),
      message,
      hint,
    });
    return undefined;
  };
  const v = doc.value;
  if (!isPlainObject(v)) {
    return fail(
      'not-a-mapping',
      [],
      'document is not a mapping',
      'Each document is a mapping with apiVersion, kind, metadata and spec.',
    );
  }
  if (v.apiVersion !== API_VERSION) {
    return v.apiVersion === undefined
      ? fail(
          'missing-field',
          [],
          'missing required field "apiVersion"',
          `Add "apiVersion: ${API_VERSION}".`,
        )
      : fail(
          'api-version',
          ['apiVersion'],
          `${JSON.stringify(v.apiVersion)} is not supported`,
          `Use "apiVersion: ${API_VERSION}".`,
        );
  }
  if (!isKind(v.kind)) {
    if (v.kind === undefined)
      return fail(
        'missing-field',
        [],
        'missing required field "kind"',
        `Add "kind:" with one of ${KINDS.join(', ')}.`,
      );
    if (v.kind === 'Defaults')
      return fail(
        'misplaced-kind',
        ['kind'],
        'Defaults belong in a file named _defaults.yaml',
        'Rename the file to _defaults.yaml.',
      );
    if (v.kind === 'Settings')
      return fail(
        'misplaced-kind',
        ['kind'],
        'Settings belong in certops.yaml at the repository root',
        'Move it there.',
      );
    const guess = typeof v.kind === 'string' ? closest(v.kind, KINDS) : undefined;
    return fail(
      'unknown-kind',
      ['kind'],
      `${JSON.stringify(v.kind)} is not a kind certops knows`,
      guess ? `Did you mean "${guess}"?` : `Use one of ${KINDS.join(', ')}.`,
    );
  }
  const kind = v.kind;
  const meta = isPlainObject(v.metadata) ? v.metadata : {};
  const source: SourceDoc = { file: p.file, docIndex: doc.index, line: doc.line, col: doc.col };
  const layers: Layer[] = [];
  for (const dir of ancestors(p.file)) {
    for (const preset of presets.get(dir) ?? []) {
      if (preset.kind === kind)
        layers.push({
          origin: 'defaults',
          source: preset.source,
          base: ['spec', kind],
          value: preset.value,
        });
    }
  }
  layers.push({ origin: 'own', source, base: [], value: v });
  const segments = p.file.split('/');
  return {
    kind,
    name: typeof meta.name === 'string' ? meta.name : '',
    source,
    team: segments.length >= 3 ? (segments[1] as string) : null,
    layers,
    value: mergeLayers(layers) as unknown as KindTypes[Kind],
    valid: false,
  };
}

/** certs.d/a/b/x.yaml → certs.d, certs.d/a, certs.d/a/b (outermost first). */
function ancestors(file: string): string[] {
  const parts = file.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Puts each certificate's profile and the built-in defaults beneath its own layers. */
function applyProfiles(objects: ModelObject[]): void {
  const profiles = new Map<string, ModelObject>();
  for (const o of objects)
    if (o.kind === 'Profile' && !profiles.has(o.name)) profiles.set(o.name, o);
  for (const o of objects) {
    if (o.kind !== 'Certificate') continue;
    const spec = (o.value as { spec?: { profile?: unknown } }).spec;
    const profile = typeof spec?.profile === 'string' ? profiles.get(spec.profile) : undefined;
    const profileSpec = (profile?.value as { spec?: unknown } | undefined)?.spec;
    if (profile && isPlainObject(profileSpec)) {
      o.layers.unshift({
        origin: 'profile',
        source: profile.source,
        base: [],
        value: { spec: profileSpec },
      });
    }
    const merged = mergeLayers(o.layers);
    o.layers.unshift({ origin: 'built-in', base: [], value: certificateBuiltins(merged) });
    o.value = mergeLayers(o.layers) as unknown as KindTypes['Certificate'];
  }
}
