import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExternalError } from '../../errors.ts';
import type { FileTargetSpec } from '../../model/types.generated.ts';
import { errorOf, fileTargetFixture, modeOf } from '../testing/file-fixture.ts';
import type { DeployBundle } from '../types.ts';
import { fileTarget } from './file-target.ts';

const fx = fileTargetFixture({ directory: 'out/certs' });
const setup = (spec: Partial<FileTargetSpec> = {}) => ({ ...fx.setup(spec), mode: modeOf });
let a: DeployBundle;
let b: DeployBundle;
beforeAll(() => ({ a, b } = fx));

describe('file target: deploy', () => {
  it('writes the default files with the right contents and modes', async () => {
    const { ctx, dir, file, read, mode } = setup();
    const r = await fileTarget.deploy(ctx, a);
    expect(r.files.sort()).toEqual(
      ['web.crt', 'web.key', 'web.chain.pem', 'web.fullchain.pem'].map(file).sort(),
    );
    expect(read('web.crt')).toBe(a.certificatePem);
    expect(read('web.key')).toBe(a.privateKeyPem);
    expect(read('web.chain.pem')).toBe(a.chainPem);
    expect(read('web.fullchain.pem')).toBe(a.fullchainPem);
    expect(mode(file('web.key'))).toBe(0o600);
    expect(mode(file('web.crt'))).toBe(0o644);
    expect(mode(dir)).toBe(0o755);
    expect(mode(path.dirname(dir))).toBe(0o755);
  });

  it('writes only the listed files, substitutes {name}, and applies fileMode exactly', async () => {
    const { ctx, dir, mode, file } = setup({
      files: { fullchain: 'live/{name}/full.pem', key: 'live/{name}/key.pem' },
      fileMode: '0664', // wider than the usual umask allows: set with chmod
    });
    await fileTarget.deploy(ctx, a);
    expect(readdirSync(path.join(dir, 'live/web')).sort()).toEqual(['full.pem', 'key.pem']);
    expect(mode(file('live/web/full.pem'))).toBe(0o664);
    expect(mode(file('live/web/key.pem'))).toBe(0o600);
  });

  it('replaces atomically, keeping the old version as .prev (0600 for the key)', async () => {
    const { ctx, dir, read, mode, file } = setup();
    await fileTarget.deploy(ctx, a);
    await fileTarget.deploy(ctx, b);
    expect(read('web.crt')).toBe(b.certificatePem);
    expect(read('web.crt.prev')).toBe(a.certificatePem);
    expect(read('web.key.prev')).toBe(a.privateKeyPem);
    expect(mode(file('web.key.prev'))).toBe(0o600);
    expect(mode(file('web.crt.prev'))).toBe(0o644);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses paths that escape the deploy root or the directory, writing nothing', async () => {
    const { ctx, root } = setup({ directory: '../outside' });
    const e1 = await errorOf(fileTarget.deploy(ctx, a));
    expect(e1).toBeInstanceOf(ExternalError);
    expect(e1?.message).toMatch(/leaves the deploy root/);
    expect(existsSync(path.join(root, '../outside'))).toBe(false);

    const s2 = setup({ files: { cert: '../../../escaped.crt' } });
    expect((await errorOf(fileTarget.deploy(s2.ctx, a)))?.message).toMatch(/leaves the directory/);
    expect(existsSync(path.join(s2.root, '../escaped.crt'))).toBe(false);

    const s3 = setup();
    const sneaky = { ...a, name: '../../../sneaky' };
    expect((await errorOf(fileTarget.deploy(s3.ctx, sneaky)))?.message).toMatch(
      /leaves the directory/,
    );
    expect(existsSync(s3.dir)).toBe(false);
  });

  it('accepts an absolute directory', async () => {
    const abs = path.join(fx.tmp.dir, 'absolute-dir');
    const { ctx } = setup({ directory: abs });
    await fileTarget.deploy(ctx, a);
    expect(readFileSync(path.join(abs, 'web.crt'), 'utf8')).toBe(a.certificatePem);
  });

  it('refuses pkcs12 output without pkcs12Password, before writing anything', async () => {
    const { ctx, dir } = setup({ files: { cert: '{name}.crt', pkcs12: '{name}.p12' } });
    const err = await errorOf(fileTarget.deploy(ctx, a));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toBe('target test-target: files.pkcs12 is set but pkcs12Password is not');
    expect(existsSync(dir)).toBe(false);
  });
});

describe('file target: rollback', () => {
  it('restores each .prev, removes files that had none, and is idempotent', async () => {
    const { ctx, read, file } = setup({ files: { cert: '{name}.crt', key: '{name}.key' } });
    await fileTarget.deploy(ctx, a);
    // The second deploy adds a file kind that did not exist before.
    const files = { cert: '{name}.crt', key: '{name}.key', chain: '{name}.chain.pem' };
    const wider = { ...ctx, spec: { ...ctx.spec, files } };
    await fileTarget.deploy(wider, b);
    await fileTarget.rollback(wider, b);
    expect(read('web.crt')).toBe(a.certificatePem);
    expect(read('web.key')).toBe(a.privateKeyPem);
    expect(existsSync(file('web.chain.pem'))).toBe(false);
    await fileTarget.rollback(wider, b);
    expect(read('web.crt')).toBe(a.certificatePem);
    expect(existsSync(file('web.key'))).toBe(true);
  });

  it('a deploy that fails halfway restores what it had written, touching nothing else', async () => {
    const { ctx, read, file } = setup();
    await fileTarget.deploy(ctx, a);
    // Make the chain file impossible to replace: a non-empty directory in its place.
    rmSync(file('web.chain.pem'));
    rmSync(file('web.chain.pem.prev'), { force: true });
    mkdirSync(path.join(file('web.chain.pem'), 'blocker'), { recursive: true });
    const err = await errorOf(fileTarget.deploy(ctx, b));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toMatch(
      /^cannot read .*web\.chain\.pem: EISDIR \(the files written before were restored\)$/,
    );
    expect(read('web.crt')).toBe(a.certificatePem); // written by the failed deploy, then restored
    expect(read('web.key')).toBe(a.privateKeyPem);
    expect(read('web.fullchain.pem')).toBe(a.fullchainPem); // never reached
    // An explicit rollback afterwards changes nothing more, and names what it cannot read.
    const rb = await errorOf(fileTarget.rollback(ctx, b));
    expect(rb?.message).toMatch(/^rollback incomplete: cannot read .*web\.chain\.pem: EISDIR$/);
    expect(read('web.crt')).toBe(a.certificatePem);
  });

  it('without keepPrevious, keeps no .prev and refuses to roll back', async () => {
    const { ctx, dir } = setup({ keepPrevious: false });
    await fileTarget.deploy(ctx, a);
    writeFileSync(path.join(dir, 'web.crt.prev'), 'stale');
    await fileTarget.deploy(ctx, b);
    expect(readdirSync(dir).filter((f) => f.endsWith('.prev'))).toEqual([]);
    expect((await errorOf(fileTarget.rollback(ctx, b)))?.message).toMatch(/cannot roll back/);
  });
});
