// What the loader produces: each object's effective value (defaults and profile applied) and the
// layers it was built from, so any field can be traced to the file and line that set it.
import type { PathSegment } from '../loader/positions.ts';
import type { Kind, KindTypes } from './kinds.ts';
import type { SettingsSpec } from './types.generated.ts';

export interface SourceDoc {
  /** Repository-relative file path. */
  file: string;
  docIndex: number;
  line: number;
  col: number;
}

/** One contribution to an object's effective value, from lowest to highest precedence. */
export interface Layer {
  origin: 'built-in' | 'profile' | 'defaults' | 'own';
  /** Where the layer is written; absent for built-in defaults. */
  source?: SourceDoc;
  /** Path inside that document at which `value` sits (e.g. ['spec','Certificate'] in _defaults). */
  base: PathSegment[];
  value: Record<string, unknown>;
}

export interface ModelObject<K extends Kind = Kind> {
  kind: K;
  name: string;
  source: SourceDoc;
  /** First folder below certs.d (`certs.d/<team>/...`), or null at the top level. */
  team: string | null;
  layers: Layer[];
  /** The effective object. Typed as the kind only once it passed schema validation. */
  value: KindTypes[K];
  /** False when the schema rejected the effective object. */
  valid: boolean;
}

export interface Model {
  root: string;
  settings: SettingsSpec;
  objects: ModelObject[];
  /** Source text of every file read, for locating findings. */
  texts: Map<string, string>;
}

export function objectsOf<K extends Kind>(model: Model, kind: K): ModelObject<K>[] {
  return model.objects.filter((o): o is ModelObject<K> => o.kind === kind);
}

export function indexByName(model: Model): Map<Kind, Map<string, ModelObject>> {
  const index = new Map<Kind, Map<string, ModelObject>>();
  for (const o of model.objects) {
    let m = index.get(o.kind);
    if (!m) index.set(o.kind, (m = new Map()));
    if (!m.has(o.name)) m.set(o.name, o);
  }
  return index;
}

const lookup = new WeakMap<Model, Map<string, ModelObject>>();

/**
 * The object of `kind` named `name`: the first valid one when names repeat, else the first.
 * Indexed once per model (the model is not changed after loading), so callers may ask per
 * certificate without scanning all objects each time.
 */
export function findObject<K extends Kind>(
  model: Model,
  kind: K,
  name: string,
): ModelObject<K> | undefined {
  let index = lookup.get(model);
  if (!index) {
    index = new Map();
    for (const o of model.objects) {
      const key = `${o.kind}\0${o.name}`;
      const prev = index.get(key);
      if (!prev || (!prev.valid && o.valid)) index.set(key, o);
    }
    lookup.set(model, index);
  }
  return index.get(`${kind}\0${name}`) as ModelObject<K> | undefined;
}
