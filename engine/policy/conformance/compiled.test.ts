// The compiled engine over the shared OPA conformance suite: nothing may be wrong, and the
// passes only rise (270 = every case the current lowering, native and host builtins handle).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compiledEngine } from './compiled.ts';
import { runConformance } from './runner.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SHARED = path.resolve(repoRoot, '../shared/opa-conformance');
const MIN_PASS = 302;

describe('compiled engine on the shared conformance suite', () => {
  it.skipIf(!existsSync(SHARED))(
    `wrong == 0 and pass >= ${MIN_PASS} (skipped when ${SHARED} is absent)`,
    async () => {
      const { report } = await runConformance(SHARED, compiledEngine);
      expect(report.wrong).toEqual([]);
      expect(report.totals.pass).toBeGreaterThanOrEqual(MIN_PASS);
    },
  );
});
