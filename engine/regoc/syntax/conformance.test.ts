// Parse-only conformance: every module and query in the shared OPA cases parses, or is refused
// with REGO_UNSUPPORTED and a location. Stats per category are printed for the stage report.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConformanceDir } from './conformance.ts';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
const casesDir = resolve(repoRoot, '../shared/opa-conformance');
const present = existsSync(casesDir);
if (!present) console.log(`skipping parse-only conformance: ${casesDir} does not exist`);

describe.skipIf(!present)('parse-only conformance', () => {
  it('parses every module and query, or refuses it as unsupported', () => {
    const stats = parseConformanceDir(casesDir);
    const rows = Object.entries(stats).map(
      ([cat, s]) => `${cat.padEnd(16)} parsed ${s.parsed}  unsupported ${s.unsupported}`,
    );
    const total = Object.values(stats).reduce((n, s) => n + s.parsed + s.unsupported, 0);
    console.log(`parse-only conformance (${total} sources):\n${rows.join('\n')}`);
    expect(Object.values(stats).flatMap((s) => s.failures)).toEqual([]);
    expect(Object.keys(stats).length).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(600);
  });
});
