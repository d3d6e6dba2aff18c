// `validate --explain`: an object's effective value, each field with the layer and place that set
// it (own file, a _defaults.yaml, its profile, or a built-in default).
import { locate } from '../loader/positions.ts';
import { canonicalOrder } from '../schema/order.ts';
import { normalizeDnsName } from '../util/dnsname.ts';
import { isPlainObject, mergeLayers, type Origins } from './merge.ts';
import type { Layer, Model, ModelObject } from './object.ts';

export interface ExplainedField {
  path: string;
  value: unknown;
  origin: Layer['origin'];
  file?: string;
  line?: number;
  col?: number;
}

export interface Explanation {
  kind: string;
  name: string;
  file: string;
  line: number;
  col: number;
  team: string | null;
  effective: unknown;
  fields: ExplainedField[];
  /** Certificates: the DNS names as they will be issued (lower case, punycode). */
  issuedDnsNames?: string[];
}

export function explainObject(model: Model, obj: ModelObject): Explanation {
  const origins: Origins = new Map();
  const effective = canonicalOrder(mergeLayers(obj.layers, origins));
  const fields: ExplainedField[] = [];
  for (const [path, value] of leaves(effective, '')) {
    const layerIndex = originIndex(origins, path);
    const layer = layerIndex === undefined ? undefined : obj.layers[layerIndex];
    const field: ExplainedField = { path, value, origin: layer?.origin ?? 'own' };
    if (layer?.source) {
      const text = model.texts.get(layer.source.file) ?? '';
      const pos = locate(text, layer.source.docIndex, [...layer.base, ...path.split('.')], 'value');
      Object.assign(field, { file: layer.source.file, line: pos.line, col: pos.col });
    }
    fields.push(field);
  }
  const dnsNames = (effective as { spec?: { dnsNames?: unknown } }).spec?.dnsNames;
  const issued =
    obj.kind === 'Certificate' && Array.isArray(dnsNames)
      ? dnsNames.map((n) => {
          const r = normalizeDnsName(String(n));
          return r.ok ? r.ascii : String(n);
        })
      : undefined;
  return {
    ...(issued ? { issuedDnsNames: issued } : {}),
    kind: obj.kind,
    name: obj.name,
    file: obj.source.file,
    line: obj.source.line,
    col: obj.source.col,
    team: obj.team,
    effective,
    fields,
  };
}

/** Leaf fields; a list is one field (lists replace whole when layers merge). */
function leaves(v: unknown, prefix: string): [string, unknown][] {
  if (!isPlainObject(v)) return [[prefix, v]];
  const out: [string, unknown][] = [];
  for (const [k, x] of Object.entries(v)) out.push(...leaves(x, prefix ? `${prefix}.${k}` : k));
  return out;
}

function originIndex(origins: Origins, path: string): number | undefined {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const i = origins.get(p);
    if (i !== undefined) return i;
  }
  return undefined;
}
