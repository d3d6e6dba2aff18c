import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExternalError } from '../../errors.ts';
import { errorOf, fileTargetFixture } from '../testing/file-fixture.ts';
import type { DeployBundle } from '../types.ts';
import { fileTarget } from './file-target.ts';

const fx = fileTargetFixture({ directory: 'certs' });
const setup = fx.setup;
let a: DeployBundle;
let b: DeployBundle;
beforeAll(() => ({ a, b } = fx));

describe('file target: verify', () => {
  it('passes right after a deploy', async () => {
    const { ctx } = setup();
    await fileTarget.deploy(ctx, a);
    await expect(fileTarget.verify(ctx, a)).resolves.toBeUndefined();
  });

  it('detects a key that does not match the certificate', async () => {
    const { ctx, file } = setup();
    await fileTarget.deploy(ctx, a);
    writeFileSync(file('web.key'), b.privateKeyPem, { mode: 0o600 });
    const err = await errorOf(fileTarget.verify(ctx, a));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toBe(
      `${file('web.key')} does not match the deployed certificate's public key`,
    );
  });

  it('detects another certificate, a missing file, and a readable key', async () => {
    const { ctx, file } = setup();
    await fileTarget.deploy(ctx, a);
    expect((await errorOf(fileTarget.verify(ctx, b)))?.message).toContain(
      `holds certificate ${a.fingerprintSha256}, expected ${b.fingerprintSha256}`,
    );
    chmodSync(file('web.key'), 0o644);
    expect((await errorOf(fileTarget.verify(ctx, a)))?.message).toMatch(/mode 0644, expected 0600/);
    writeFileSync(file('web.chain.pem'), b.chainPem.replace(/[A-Za-z]{8}\n/, 'AAAAAAAA\n'));
    expect((await errorOf(fileTarget.verify(ctx, a)))?.message).toMatch(/expected chain/);
  });
});

describe('file target: remove, observe, readBack', () => {
  it('remove deletes the files and their .prev, and tolerates absence', async () => {
    const { ctx, file } = setup();
    await fileTarget.deploy(ctx, a);
    await fileTarget.deploy(ctx, b);
    writeFileSync(file('unrelated.txt'), 'keep me');
    await fileTarget.remove(ctx, 'web');
    expect(readdirSync(path.dirname(file('x')))).toEqual(['unrelated.txt']);
    await expect(fileTarget.remove(ctx, 'web')).resolves.toBeUndefined();
  });

  it('observe reports the deployed fingerprint and files; nothing when absent', async () => {
    const { ctx, file } = setup({ files: { fullchain: '{name}.pem', key: '{name}.key' } });
    expect(await fileTarget.observe(ctx, 'web')).toEqual({ files: [] });
    await fileTarget.deploy(ctx, a);
    const o = await fileTarget.observe(ctx, 'web');
    expect(o.fingerprintSha256).toBe(a.fingerprintSha256);
    expect(o.files?.sort()).toEqual([file('web.key'), file('web.pem')].sort());
    writeFileSync(file('web.pem'), 'garbage');
    expect(await fileTarget.observe(ctx, 'web')).toEqual({ files: o.files });
  });

  it('readBack gives cert, chain and key, also from a fullchain-only layout', async () => {
    const full = setup({ files: { fullchain: '{name}.pem', key: '{name}.key' } });
    expect(await fileTarget.readBack?.(full.ctx, 'web')).toBeUndefined();
    await fileTarget.deploy(full.ctx, a);
    expect(await fileTarget.readBack?.(full.ctx, 'web')).toEqual({
      certificatePem: a.certificatePem,
      chainPem: a.chainPem,
      privateKeyPem: a.privateKeyPem,
    });
    const split = setup();
    await fileTarget.deploy(split.ctx, b);
    expect((await fileTarget.readBack?.(split.ctx, 'web'))?.chainPem).toBe(b.chainPem);
  });

  it('readBack gives nothing for a missing key or a mismatched pair', async () => {
    const { ctx, file } = setup();
    await fileTarget.deploy(ctx, a);
    writeFileSync(file('web.key'), b.privateKeyPem);
    expect(await fileTarget.readBack?.(ctx, 'web')).toBeUndefined();
    await fileTarget.remove(ctx, 'web');
    expect(existsSync(file('web.key'))).toBe(false);
    expect(await fileTarget.readBack?.(ctx, 'web')).toBeUndefined();
  });
});
