// Test-only: the shared setup of the file target's test files. Registers its own hooks: a temp
// directory for the file, and two different bundles for the deploy name `web` (ready after
// beforeAll). setup() gives each test a fresh deploy root.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ExternalError } from '../../errors.ts';
import type { FileTargetSpec } from '../../model/types.generated.ts';
import type { DeployBundle, TargetContext } from '../types.ts';
import { makeTestBundle } from './certs.ts';
import { targetContext, tempDir } from './context.ts';

export function fileTargetFixture(
  base: Partial<FileTargetSpec> & { directory: string },
  baseOverrides: Partial<TargetContext> = {},
) {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const fx = {
    /** The file's temp directory (removed afterAll). */
    tmp,
    a: undefined as unknown as DeployBundle,
    b: undefined as unknown as DeployBundle,
    /** A context over a fresh deploy root; file() names files in the base directory. */
    setup(spec: Partial<FileTargetSpec> = {}, overrides: Partial<TargetContext> = {}) {
      const root = path.join(tmp.dir, `root${n++}`);
      mkdirSync(root);
      const ctx = targetContext({ type: 'file', ...base, ...spec }, root, {
        ...baseOverrides,
        ...overrides,
      });
      const dir = path.join(root, base.directory);
      const file = (f: string) => path.join(dir, f);
      const read = (f: string) => readFileSync(file(f), 'utf8');
      return { ctx, root, dir, file, read };
    },
  };
  let n = 0;
  beforeAll(async () => {
    fx.a = await makeTestBundle({ name: 'web' });
    fx.b = await makeTestBundle({ name: 'web' });
  });
  return fx;
}

/** The error a promise rejects with, or undefined when it resolves. */
export const errorOf = (p: Promise<unknown>): Promise<ExternalError | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => e as ExternalError,
  );

export const modeOf = (p: string): number => statSync(p).mode & 0o777;
