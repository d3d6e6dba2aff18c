// Layered merge: later layers win; objects merge key by key; lists and scalars replace whole.
// A few fields replace their siblings too (choosing a key algorithm discards a size set for
// another algorithm below it; renewBefore and renewBeforePercentage exclude each other).
import type { PathSegment } from '../loader/positions.ts';
import type { Layer } from './object.ts';

type Plain = Record<string, unknown>;

const REPLACES_SIBLINGS: Record<string, readonly string[]> = {
  'spec.privateKey.algorithm': ['size'],
  'spec.renewBefore': ['renewBeforePercentage'],
  'spec.renewBeforePercentage': ['renewBefore'],
};

export function isPlainObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets an own data property, so keys such as `__proto__` stay data (and fail validation). */
function put(target: Plain, key: string, value: unknown): void {
  if (key !== '__proto__') target[key] = value;
  else
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (isPlainObject(v)) {
    const out: Plain = {};
    for (const k of Object.keys(v)) put(out, k, clone(v[k]));
    return out;
  }
  return v;
}

/** Origins: dotted path of each value a layer set → index of that layer. */
export type Origins = Map<string, number>;

function mergeInto(
  target: Plain,
  src: Plain,
  path: string,
  layer: number,
  origins?: Origins,
): void {
  for (const key of Object.keys(src)) {
    const full = path ? `${path}.${key}` : key;
    const sv = src[key];
    const tv = Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
    if (isPlainObject(sv) && isPlainObject(tv)) {
      mergeInto(tv, sv, full, layer, origins);
    } else {
      put(target, key, clone(sv));
      if (origins) {
        for (const k of [...origins.keys()]) if (k.startsWith(`${full}.`)) origins.delete(k);
        origins.set(full, layer);
        if (isPlainObject(sv)) recordLeaves(sv, full, layer, origins);
      }
    }
    // Only a changed value discards siblings: restating the same algorithm keeps its size.
    for (const sibling of tv === sv ? [] : (REPLACES_SIBLINGS[full] ?? [])) {
      if (!(sibling in src) && sibling in target) {
        delete target[sibling];
        origins?.delete(path ? `${path}.${sibling}` : sibling);
      }
    }
  }
}

function recordLeaves(v: Plain, path: string, layer: number, origins: Origins): void {
  for (const k of Object.keys(v)) {
    const full = `${path}.${k}`;
    origins.set(full, layer);
    const child = v[k];
    if (isPlainObject(child)) recordLeaves(child, full, layer, origins);
  }
}

/** The merged value of `layers` (lowest precedence first). */
export function mergeLayers(layers: readonly Layer[], origins?: Origins): Plain {
  const out: Plain = {};
  layers.forEach((l, i) => mergeInto(out, l.value, '', i, origins));
  return out;
}

export function dotted(path: readonly PathSegment[]): string {
  return path.filter((s): s is string => typeof s === 'string').join('.');
}

/**
 * Which layer set the value at `path` (list indexes belong to the list's layer), and the path of
 * that value inside the layer's document.
 */
export function originOf(
  layers: readonly Layer[],
  path: readonly PathSegment[],
): { layer: Layer; pathInDoc: PathSegment[] } | undefined {
  const origins: Origins = new Map();
  mergeLayers(layers, origins);
  for (let n = path.length; n > 0; n--) {
    const prefix = path.slice(0, n);
    if (prefix.some((s) => typeof s === 'number')) continue; // list items belong to their list
    const idx = origins.get(dotted(prefix));
    const layer = idx === undefined ? undefined : layers[idx];
    if (layer) return { layer, pathInDoc: [...layer.base, ...path] };
  }
  return undefined;
}
