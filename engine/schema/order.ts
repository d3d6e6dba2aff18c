// A canonical key order for printing objects: the order in which the schemas list properties
// (apiVersion, kind, metadata, spec, then each kind's fields as documented).
import { SCHEMA_FILE } from '../model/kinds.ts';
import { loadSchemas } from './registry.ts';

let rank: Map<string, number> | undefined;

function collect(node: unknown, into: Map<string, number>): void {
  if (Array.isArray(node)) for (const n of node) collect(n, into);
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'properties' && typeof v === 'object' && v !== null) {
        for (const name of Object.keys(v)) if (!into.has(name)) into.set(name, into.size);
      }
      collect(v, into);
    }
  }
}

export function keyRank(): Map<string, number> {
  if (!rank) {
    rank = new Map();
    const schemas = loadSchemas();
    for (const file of Object.values(SCHEMA_FILE)) collect(schemas.get(file), rank);
    collect(schemas.get('common.schema.json'), rank);
  }
  return rank;
}

/** A copy of `v` with object keys in canonical order (unknown keys last, in their order). */
export function canonicalOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonicalOrder);
  if (typeof v !== 'object' || v === null) return v;
  const r = keyRank();
  const keys = Object.keys(v).sort((a, b) => (r.get(a) ?? Infinity) - (r.get(b) ?? Infinity));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = canonicalOrder((v as Record<string, unknown>)[k]);
  return out;
}
