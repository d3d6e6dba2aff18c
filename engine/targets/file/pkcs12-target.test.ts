// The file target's PKCS#12 output: written 0600 with the password from pkcs12Password (through
// ctx.secrets), verified by decrypting it, rolled back and observed like the PEM files.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveSecret } from '../../crypto/secret.ts';
import { ExternalError } from '../../errors.ts';
import type { SecretRef } from '../../model/types.generated.ts';
import { fingerprintOf, makeTestBundle, makeTestCa } from '../testing/certs.ts';
import { errorOf, fileTargetFixture, modeOf } from '../testing/file-fixture.ts';
import type { DeployBundle } from '../types.ts';
import { deployFiles } from './file-ops.ts';
import { fileTarget } from './file-target.ts';

const PASSWORD = 'p12-test-password';

const env = { P12_PASS: PASSWORD };
const secrets = (ref: SecretRef) =>
  resolveSecret(ref, { env, readFile: () => Promise.reject(new Error('no files here')) });
const fx = fileTargetFixture(
  { directory: 'out', files: { pkcs12: '{name}.p12' }, pkcs12Password: { env: 'P12_PASS' } },
  { secrets },
);
const setup = fx.setup;
let a: DeployBundle;
let b: DeployBundle;
beforeAll(() => ({ a, b } = fx));

const mode = modeOf;

/** The leaf fingerprint openssl finds in a PKCS#12 file (first certificate printed). */
function opensslLeaf(file: string, password: string): string | undefined {
  const r = spawnSync('openssl', ['pkcs12', '-in', file, '-nokeys', '-passin', 'env:PW'], {
    env: { ...process.env, PW: password },
    encoding: 'utf8',
  });
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(r.stdout)?.[0];
  return r.status === 0 && pem ? fingerprintOf(pem) : undefined;
}

describe('file target: PKCS#12 deploy and verify', () => {
  it('writes a 0600 PKCS#12 that openssl opens with the password, and verify passes', async () => {
    const { ctx, file } = setup({ files: { cert: '{name}.crt', pkcs12: '{name}.p12' } });
    const r = await fileTarget.deploy(ctx, a);
    expect(r.files.sort()).toEqual([file('web.crt'), file('web.p12')]);
    expect(mode(file('web.p12'))).toBe(0o600);
    expect(opensslLeaf(file('web.p12'), PASSWORD)).toBe(a.fingerprintSha256);
    expect(opensslLeaf(file('web.p12'), 'wrong')).toBeUndefined();
    await expect(fileTarget.verify(ctx, a)).resolves.toBeUndefined();
  });

  it('fails verify for a changed file, another certificate or chain, a readable mode', async () => {
    const { ctx, file } = setup();
    await fileTarget.deploy(ctx, a);
    const good = readFileSync(file('web.p12'));
    const bad = Buffer.from(good);
    const mid = Math.floor(bad.length / 2);
    bad.writeUInt8(bad.readUInt8(mid) ^ 0x01, mid);
    writeFileSync(file('web.p12'), bad);
    expect((await errorOf(fileTarget.verify(ctx, a)))?.message).toBe(
      `${file('web.p12')}: MAC verification failed (wrong password, or the file was changed)`,
    );
    writeFileSync(file('web.p12'), good);
    expect((await errorOf(fileTarget.verify(ctx, b)))?.message).toBe(
      `${file('web.p12')} holds certificate ${a.fingerprintSha256}, expected ${b.fingerprintSha256}`,
    );
    const otherChain = (await makeTestBundle({ ca: await makeTestCa('other CA') })).chainPem;
    expect((await errorOf(fileTarget.verify(ctx, { ...a, chainPem: otherChain })))?.message).toBe(
      `${file('web.p12')} does not hold the expected chain`,
    );
    chmodSync(file('web.p12'), 0o644);
    expect((await errorOf(fileTarget.verify(ctx, a)))?.message).toMatch(/mode 0644, expected 0600/);
  });

  it('without a secret resolver or with an unset variable: a clear error, nothing written', async () => {
    const s1 = setup({}, { secrets: undefined });
    const e1 = await errorOf(fileTarget.deploy(s1.ctx, a));
    expect(e1).toBeInstanceOf(ExternalError);
    expect(e1?.message).toBe(
      'target test-target: cannot read pkcs12Password: no secret resolver was given to the target',
    );
    expect(existsSync(s1.file('web.p12'))).toBe(false);
    const s2 = setup({ pkcs12Password: { env: 'UNSET_VAR' } });
    const e2 = await errorOf(fileTarget.deploy(s2.ctx, a));
    expect(e2?.message).toBe(
      'target test-target: pkcs12Password: environment variable UNSET_VAR is not set',
    );
    expect(existsSync(path.dirname(s2.file('web.p12')))).toBe(false);
  });

  it('is refused by targets that give no PKCS#12 writer (nginx shares file-ops)', async () => {
    const layout = { dir: fx.tmp.dir, files: { pkcs12: path.join(fx.tmp.dir, 'x.p12') } };
    const err = await errorOf(deployFiles(layout, a, { fileMode: 0o644, keepPrevious: true }));
    expect(err?.message).toBe('this target does not write PKCS#12 files (files.pkcs12)');
    expect(existsSync(layout.files.pkcs12)).toBe(false);
  });
});

describe('file target: PKCS#12 rollback, observe, read back, remove', () => {
  it('keeps a 0600 .prev and rolls back to it; a second rollback changes nothing', async () => {
    const { ctx, file } = setup();
    await fileTarget.deploy(ctx, a);
    await fileTarget.deploy(ctx, b);
    expect(mode(file('web.p12.prev'))).toBe(0o600);
    expect(opensslLeaf(file('web.p12'), PASSWORD)).toBe(b.fingerprintSha256);
    await fileTarget.rollback(ctx, b);
    expect(opensslLeaf(file('web.p12'), PASSWORD)).toBe(a.fingerprintSha256);
    const after = readFileSync(file('web.p12'));
    await fileTarget.rollback(ctx, b);
    expect(readFileSync(file('web.p12')).equals(after)).toBe(true);
  });

  it('rollback leaves alone a PKCS#12 file this deploy did not write', async () => {
    const { ctx, file } = setup();
    await fileTarget.deploy(ctx, a);
    await fileTarget.deploy(ctx, b);
    writeFileSync(file('web.p12'), 'written by someone else');
    await fileTarget.rollback(ctx, b);
    expect(readFileSync(file('web.p12'), 'utf8')).toBe('written by someone else');
  });

  it('rollback removes a PKCS#12 that had no previous version', async () => {
    const { ctx, file } = setup();
    await fileTarget.deploy(ctx, a);
    await fileTarget.rollback(ctx, a);
    expect(existsSync(file('web.p12'))).toBe(false);
  });

  it('observes and reads back a PKCS#12-only layout; without the password, no fingerprint', async () => {
    const { ctx, file } = setup();
    await fileTarget.deploy(ctx, a);
    expect(await fileTarget.observe(ctx, 'web')).toEqual({
      fingerprintSha256: a.fingerprintSha256,
      files: [file('web.p12')],
    });
    const back = await fileTarget.readBack?.(ctx, 'web');
    expect(back && fingerprintOf(back.certificatePem)).toBe(a.fingerprintSha256);
    expect(back?.chainPem && new X509Certificate(back.chainPem).fingerprint256).toBe(
      new X509Certificate(a.chainPem).fingerprint256,
    );
    expect(back?.privateKeyPem).toContain('-----BEGIN PRIVATE ' + 'KEY-----');
    const blind = { ...ctx, secrets: undefined };
    expect(await fileTarget.observe(blind, 'web')).toEqual({ files: [file('web.p12')] });
  });

  it('remove deletes the PKCS#12 file and its .prev', async () => {
    const { ctx, file } = setup();
    await fileTarget.deploy(ctx, a);
    await fileTarget.deploy(ctx, b);
    await fileTarget.remove(ctx, 'web');
    expect(existsSync(file('web.p12'))).toBe(false);
    expect(existsSync(file('web.p12.prev'))).toBe(false);
  });
});
