import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CertopsError, ExternalError } from '../errors.ts';
import type { SecretSources } from './secret.ts';
import { readSecretFile, resolveSecret, secretResolver } from './secret.ts';

const VALUE = 'hunter2-s3cret';
const dir = mkdtempSync(join(tmpdir(), 'certops-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode: number): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
}

const real = (env: SecretSources['env'] = {}): SecretSources => ({ env, readFile: readSecretFile });

/** The error `p` rejects with, after checking that neither message nor hint leaks VALUE. */
async function failure(p: Promise<unknown>): Promise<ExternalError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExternalError);
  const e = err as ExternalError;
  expect(`${e.message}\n${e.hint ?? ''}`).not.toContain(VALUE);
  return e;
}

describe('resolveSecret: env', () => {
  it('returns the variable as it is (no trimming)', async () => {
    await expect(resolveSecret({ env: 'P' }, real({ P: ` ${VALUE}\n` }))).resolves.toBe(
      ` ${VALUE}\n`,
    );
  });

  it('names a missing or empty variable, never a value', async () => {
    const missing = await failure(resolveSecret({ env: 'P12_PASS' }, real({ OTHER: VALUE })));
    expect(missing.message).toBe('environment variable P12_PASS is not set');
    const empty = await failure(resolveSecret({ env: 'P12_PASS' }, real({ P12_PASS: '' })));
    expect(empty.message).toBe('environment variable P12_PASS is empty');
  });
});

describe('resolveSecret: file', () => {
  it('removes exactly one trailing newline (LF or CRLF)', async () => {
    const r = (text: string) => resolveSecret({ file: file('nl', text, 0o600) }, real());
    await expect(r(`${VALUE}\n`)).resolves.toBe(VALUE);
    await expect(r(`${VALUE}\r\n`)).resolves.toBe(VALUE);
    await expect(r(`${VALUE}\n\n`)).resolves.toBe(`${VALUE}\n`);
    await expect(r(` ${VALUE} `)).resolves.toBe(` ${VALUE} `);
  });

  it('accepts 0600 and group-readable 0640; refuses other-readable files by path and mode', async () => {
    await expect(resolveSecret({ file: file('g', VALUE, 0o640) }, real())).resolves.toBe(VALUE);
    const p = file('o', VALUE, 0o644);
    const e = await failure(resolveSecret({ file: p }, real()));
    expect(e.message).toBe(`secret file ${p} is readable by other users (mode 0644)`);
    expect(e.hint).toContain('chmod o-rwx');
  });

  it('follows a symbolic link (mounted secrets) and judges the target file', async () => {
    const target = file('target', `${VALUE}\n`, 0o600);
    symlinkSync(target, join(dir, 'link'));
    await expect(resolveSecret({ file: join(dir, 'link') }, real())).resolves.toBe(VALUE);
  });

  it('names a missing file, a directory, an empty file', async () => {
    const missing = await failure(resolveSecret({ file: join(dir, 'absent') }, real()));
    expect(missing.message).toBe(`secret file ${join(dir, 'absent')} cannot be read: ENOENT`);
    mkdirSync(join(dir, 'd'));
    const d = await failure(resolveSecret({ file: join(dir, 'd') }, real()));
    expect(d.message).toMatch(/is not a regular file|EISDIR/);
    const empty = await failure(resolveSecret({ file: file('empty', '\n', 0o600) }, real()));
    expect(empty.message).toMatch(/is empty$/);
  });

  it('uses the injected reader, and never reports the content it returned', async () => {
    const sources: SecretSources = {
      env: {},
      readFile: async () => ({ text: VALUE, mode: 0o100666 }),
    };
    const e = await failure(resolveSecret({ file: '/virtual/secret' }, sources));
    expect(e.message).toBe('secret file /virtual/secret is readable by other users (mode 0666)');
  });

  it('refuses a reference with neither env nor file as an internal error', async () => {
    const err = await resolveSecret({}, real()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertopsError);
    expect((err as CertopsError).code).toBe('INTERNAL');
  });
});

describe('secretResolver', () => {
  it('resolves env and file references over the real file system', async () => {
    const resolve = secretResolver({ P: VALUE });
    await expect(resolve({ env: 'P' })).resolves.toBe(VALUE);
    await expect(resolve({ file: file('r', `${VALUE}\n`, 0o400) })).resolves.toBe(VALUE);
  });
});
