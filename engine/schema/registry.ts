// One ajv instance (JSON Schema 2020-12, strict) compiled from schemas/*.schema.json, the single
// source of truth for every document shape.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { SCHEMA_FILE } from '../model/kinds.ts';

export const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

/**
 * Documents the engine builds itself (not certs.d kinds): validated like the kinds, but kept out
 * of SCHEMA_FILE so the certs.d reference (scripts/reference-source.ts) does not list them.
 */
export const ENGINE_SCHEMA_FILE = {
  PolicyInput: 'policy-input.schema.json',
  BundleManifest: 'bundle-manifest.schema.json',
} as const;

type SchemaName = keyof typeof SCHEMA_FILE | keyof typeof ENGINE_SCHEMA_FILE;
let validators: Map<SchemaName, ValidateFunction> | undefined;
let ajv: Ajv2020 | undefined;

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

export function loadSchemas(): Map<string, object> {
  const schemas = new Map<string, object>();
  for (const f of readdirSync(SCHEMAS_DIR)
    .filter((n) => n.endsWith('.schema.json'))
    .sort()) {
    schemas.set(f, JSON.parse(readFileSync(`${SCHEMAS_DIR}${f}`, 'utf8')) as object);
  }
  return schemas;
}

export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    verbose: true,
    discriminator: true,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  for (const schema of loadSchemas().values()) ajv.addSchema(schema);
  return ajv;
}

/**
 * The compiled validator of a kind (or `Defaults`/`Settings`/`PolicyInput`), compiled on first
 * use and kept for the process: a run compiles only the kinds it meets (ajv compiles a schema
 * and what it references on `getSchema`).
 */
export function validatorFor(name: SchemaName): ValidateFunction {
  validators ??= new Map();
  let v = validators.get(name);
  if (!v) {
    ajv ??= createAjv();
    const file = ({ ...SCHEMA_FILE, ...ENGINE_SCHEMA_FILE } as Record<SchemaName, string>)[name];
    const compiled = ajv.getSchema(file);
    if (!compiled) throw new Error(`schema ${file} is missing`);
    validators.set(name, (v = compiled));
  }
  return v;
}
