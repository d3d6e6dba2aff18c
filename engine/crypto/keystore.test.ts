import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExternalError, UsageError } from '../errors.ts';
import { certopsHome, FileKeyStore } from './keystore.ts';
import { rsaFixturePem } from './testing.ts';

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'certops-ks-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;
const KEY = rsaFixturePem(2048);

describe('FileKeyStore', () => {
  it('stores, reads, lists and deletes keys', async () => {
    const ks = new FileKeyStore(join(base, 'keys'));
    expect(await ks.has('op-1')).toBe(false);
    expect(await ks.get('op-1')).toBeUndefined();
    await ks.put('op-1', KEY);
    expect(await ks.has('op-1')).toBe(true);
    expect(await ks.get('op-1')).toBe(KEY);
    await ks.delete('op-1');
    await ks.delete('op-1'); // absent is fine
    expect(await ks.has('op-1')).toBe(false);
  });

  it('writes key files 0600 in directories 0700 and leaves no temp files', async () => {
    const dir = join(base, 'a', 'keys');
    const ks = new FileKeyStore(dir);
    await ks.put('root', KEY);
    await ks.put('root', rsaFixturePem(3072)); // replaced in place
    expect(await ks.get('root')).toBe(rsaFixturePem(3072));
    expect(mode(join(dir, 'root.key'))).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(base, 'a'))).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['root.key']);
  });

  it('tightens an existing directory to 0700', async () => {
    chmodSync(base, 0o755);
    const ks = new FileKeyStore(base);
    await ks.put('k', KEY);
    expect(mode(base)).toBe(0o700);
  });

  it.each(['../x', '..', '.', '.hidden', 'a/b', 'a\\b', '', 'x'.repeat(201), 'é', 'a b'])(
    'refuses the id %j (no path traversal)',
    async (id) => {
      const ks = new FileKeyStore(join(base, 'keys'));
      await expect(ks.put(id, KEY)).rejects.toThrow(UsageError);
      await expect(ks.get(id)).rejects.toThrow(/invalid key id/);
      expect(() => readdirSync(join(base, 'keys'))).toThrow(); // nothing created
    },
  );

  it('refuses to store something that is not a private key', async () => {
    await expect(new FileKeyStore(base).put('k', 'hello')).rejects.toThrow(/not a PEM private key/);
  });

  it('refuses to read a key file that is a symbolic link', async () => {
    const dir = join(base, 'keys');
    const ks = new FileKeyStore(dir);
    await ks.put('real', KEY);
    writeFileSync(join(base, 'elsewhere'), KEY);
    symlinkSync(join(base, 'elsewhere'), join(dir, 'link.key'));
    await expect(ks.get('link')).rejects.toThrow(ExternalError);
    await expect(ks.get('link')).rejects.toThrow(/symbolic link/);
  });

  it('replaces a planted symlink on put instead of writing through it', async () => {
    const dir = join(base, 'keys');
    const ks = new FileKeyStore(dir);
    await ks.put('first', KEY);
    writeFileSync(join(base, 'victim'), 'unchanged');
    symlinkSync(join(base, 'victim'), join(dir, 'k.key'));
    await ks.put('k', KEY);
    expect(lstatSync(join(dir, 'k.key')).isFile()).toBe(true);
    expect(statSync(join(base, 'victim')).size).toBe('unchanged'.length);
  });
});

describe('certopsHome', () => {
  it('uses $CERTOPS_HOME, else ~/.certops', () => {
    expect(certopsHome({ CERTOPS_HOME: '/srv/certops' }, '/home/a')).toBe('/srv/certops');
    expect(certopsHome({}, '/home/a')).toBe('/home/a/.certops');
    expect(certopsHome({ CERTOPS_HOME: '' }, '/home/a')).toBe('/home/a/.certops');
  });
});

describe('FileKeyStore.list', () => {
  it('lists stored ids by prefix, ignoring temp files', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/certops-ks-`);
    try {
      const store = new FileKeyStore(`${dir}/keys`);
      expect(await store.list()).toEqual([]);
      const pem = '-----BEGIN PRIVATE ' + 'KEY-----\nAAAA\n-----END PRIVATE ' + 'KEY-----\n';
      await store.put('pending-a', pem);
      await store.put('pending-b', pem);
      await store.put('reuse-c', pem);
      await writeFile(`${dir}/keys/.pending-x.key.123.tmp`, 'x');
      expect(await store.list('pending-')).toEqual(['pending-a', 'pending-b']);
      expect(await store.list()).toEqual(['pending-a', 'pending-b', 'reuse-c']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
