// Test-only: a TargetContext wired to the real command runner, TLS probe and system clock.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../clock.ts';
import type { TargetSpec } from '../../model/types.generated.ts';
import { processRunner } from '../../net/command.ts';
import { nodeTlsProbe } from '../../net/tls-probe.ts';
import type { TargetContext } from '../types.ts';

export function targetContext(
  spec: TargetSpec,
  deployRoot: string,
  overrides: Partial<TargetContext> = {},
): TargetContext {
  return {
    name: 'test-target',
    spec,
    deployRoot,
    runner: processRunner,
    tls: nodeTlsProbe,
    clock: systemClock,
    ...overrides,
  };
}

/** A fresh temporary directory and its cleanup (call cleanup in afterAll). */
export function tempDir(prefix = 'certops-target-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
