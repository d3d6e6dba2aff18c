import { describe, expect, it } from 'vitest';
import { loadSchemas } from '../schema/registry.ts';
import { KINDS, SCHEMA_FILE, TYPES } from './kinds.ts';

describe('kinds', () => {
  const schemas = loadSchemas();

  it('every kind has a schema whose kind constant matches', () => {
    for (const kind of KINDS) {
      const schema = schemas.get(SCHEMA_FILE[kind]) as { properties: { kind: { const: string } } };
      expect(schema.properties.kind.const).toBe(kind);
    }
  });

  it('TYPES lists exactly the spec.type values each schema accepts', () => {
    for (const kind of KINDS) {
      const schema = schemas.get(SCHEMA_FILE[kind]) as {
        properties: { spec: { oneOf?: { $ref: string }[] } };
        $defs?: Record<string, { properties: { type: { const: string } } }>;
      };
      const refs = schema.properties.spec.oneOf ?? [];
      const types = refs.map(
        (r) => schema.$defs?.[r.$ref.replace('#/$defs/', '')]?.properties.type.const,
      );
      expect(types).toEqual(TYPES[kind] ?? []);
    }
  });
});
