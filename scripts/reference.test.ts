import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDiagnostics, renderPlanReference, renderReference } from './reference-source.ts';

describe('docs/reference/kinds.md', () => {
  it('matches the schemas (run `npm run gen:docs` after editing a schema)', () => {
    const committed = readFileSync(new URL('../docs/reference/kinds.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderReference());
  });

  it('diagnostics.md lists every diagnostic code', () => {
    const committed = readFileSync(
      new URL('../docs/reference/diagnostics.md', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(renderDiagnostics());
  });

  it('plan.md lists every reason code', () => {
    const committed = readFileSync(new URL('../docs/reference/plan.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderPlanReference());
  });
});
