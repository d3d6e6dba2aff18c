import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../model/kinds.ts';
import { createAjv, loadSchemas, validatorFor } from './registry.ts';

describe('schema registry', () => {
  it('compiles every schema in strict mode, each declaring 2020-12 and an $id matching its file', () => {
    const ajv = createAjv();
    for (const [file, schema] of loadSchemas()) {
      expect(schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: file,
      });
      expect(() => ajv.getSchema(file)).not.toThrow();
    }
  });

  it('has a validator for every kind, Defaults and Settings', () => {
    for (const name of Object.keys(SCHEMA_FILE) as (keyof typeof SCHEMA_FILE)[]) {
      expect(typeof validatorFor(name)).toBe('function');
    }
  });

  it('refuses unknown keys at every level', () => {
    const v = validatorFor('Certificate');
    const base = {
      apiVersion: 'certops/v1',
      kind: 'Certificate',
      metadata: { name: 'a' },
      spec: { issuer: 'x' },
    };
    expect(v(base)).toBe(true);
    expect(v({ ...base, extra: 1 })).toBe(false);
    expect(v({ ...base, metadata: { name: 'a', nmae: 'b' } })).toBe(false);
    expect(v({ ...base, spec: { issuer: 'x', deploy: [{ target: 't', extra: 1 }] } })).toBe(false);
  });
});
