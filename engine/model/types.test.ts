// The TypeScript types are generated from the schemas; this fails when either changed alone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTypes } from '../../scripts/types-source.ts';

describe('generated types', () => {
  it('match schemas/ (run `npm run gen:types` after editing a schema)', async () => {
    const committed = readFileSync(new URL('./types.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await renderTypes());
  });
});
