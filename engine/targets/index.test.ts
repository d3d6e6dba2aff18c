import { describe, expect, it } from 'vitest';
import { TARGETS } from './index.ts';
import { makeTestBundle } from './testing/certs.ts';
import { targetContext, tempDir } from './testing/context.ts';

describe('TARGETS', () => {
  it('maps each implemented target type to its provider', () => {
    expect(Object.keys(TARGETS).sort()).toEqual(['exec', 'file', 'nginx']);
  });

  it('a provider called with another type of spec fails as an internal error', async () => {
    const tmp = tempDir();
    try {
      const ctx = targetContext({ type: 'exec', command: ['true'] }, tmp.dir);
      const err = await TARGETS.file.deploy(ctx, await makeTestBundle()).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'INTERNAL' });
    } finally {
      tmp.cleanup();
    }
  });
});
