import { generateKeyPairSync } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyMaterialError, StateCorruptError } from './errors.ts';
import { openGitStateStore } from './git-store.ts';
import type { TestRepo } from './testing.ts';
import type { StateStore } from './types.ts';
import { clock, commitFiles, makeRepo, operation, record } from './testing.ts';

let repo: TestRepo;
beforeEach(async () => {
  repo = await makeRepo({ withCommit: true });
});
afterEach(() => repo.cleanup());

const trailers = { 'Certops-Operation': 'op-1' };
type Change = Parameters<StateStore['commit']>[0];
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }) as string;
const encrypted = privateKey.export({
  type: 'pkcs8',
  format: 'pem',
  cipher: 'aes-256-cbc',
  passphrase: 'x',
}) as string;

async function objectCount(dir: string): Promise<number> {
  const root = path.join(dir, '.git', 'objects');
  let n = 0;
  for (const d of await readdir(root))
    if (/^[0-9a-f]{2}$/.test(d)) n += (await readdir(path.join(root, d))).length;
  return n;
}

describe('key material never reaches the state branch', () => {
  it.each<[string, Partial<Change>]>([
    ['a PKCS#8 key in a record', { inventory: { web: record('web', { chainPem: pkcs8 }) } }],
    ['an EC key in a record', { inventory: { web: record('web', { certificatePem: sec1 }) } }],
    [
      'an encrypted key in a record',
      { inventory: { web: record('web', { chainPem: encrypted }) } },
    ],
    [
      'a key in a journal detail',
      {
        operations: [
          {
            ...operation('op-1', 'web', ['started']),
            events: [{ step: 'started' as const, at: 'x', detail: { key: pkcs8 } }],
          },
        ],
      },
    ],
    ['a key in the message', { message: `oops\n${pkcs8}` }],
  ])('refuses %s and writes nothing', async (_label, change) => {
    const store = openGitStateStore({ dir: repo.dir, clock });
    const base = await store.commit({ expectedHead: '', message: 'base', trailers });
    const before = await objectCount(repo.dir);
    const attempt = store.commit({ expectedHead: base, message: 'm', trailers, ...change });
    await expect(attempt).rejects.toBeInstanceOf(KeyMaterialError);
    await expect(attempt).rejects.toThrow(/private-key material/);
    expect(await objectCount(repo.dir)).toBe(before);
    expect(repo.git('rev-parse', 'certops/state').trim()).toBe(base);
  });
});

describe('the state branch is untrusted input', () => {
  const valid = (name: string) => JSON.stringify(record(name));

  it('names the corrupt file when its JSON does not parse', async () => {
    commitFiles(repo, 'certops/state', {
      'inventory/api.json': valid('api'),
      'inventory/web.json': '{"name": "web", ',
    });
    const err = await openGitStateStore({ dir: repo.dir, clock })
      .read()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateCorruptError);
    expect((err as StateCorruptError).path).toBe('inventory/web.json');
    expect((err as Error).message).toMatch(/certops\/state:inventory\/web\.json: invalid JSON/);
  });

  it.each([
    ['a record missing a field', 'inventory/web.json', JSON.stringify({ name: 'web' })],
    ['a record under another name', 'inventory/web.json', valid('api')],
    ['a badly named file', 'inventory/Web.json', valid('Web')],
    ['a file that is not JSON by name', 'journal/op-1.txt', '{}'],
    [
      'an operation with a bad step',
      'journal/op-1.json',
      JSON.stringify({ ...operation('op-1', 'web', []), events: [{ step: 'nope', at: 'x' }] }),
    ],
  ])('refuses %s, naming it', async (_label, file, content) => {
    commitFiles(repo, 'certops/state', { [file]: content });
    const store = openGitStateStore({ dir: repo.dir, clock });
    const read = file.startsWith('journal/') ? store.operations() : store.read();
    await expect(read).rejects.toBeInstanceOf(StateCorruptError);
    await expect(read).rejects.toThrow(file);
  });

  it('keeps files it does not own when it commits on top', async () => {
    const head = commitFiles(repo, 'certops/state', { 'README.md': 'kept\n' });
    const store = openGitStateStore({ dir: repo.dir, clock });
    const sha = await store.commit({
      expectedHead: head,
      inventory: { web: record('web') },
      message: 'm',
      trailers,
    });
    expect(repo.git('show', `${sha}:README.md`)).toBe('kept\n');
    repo.git('fsck', '--strict', '--no-dangling');
  });

  it('works on after git gc packs its objects and refs', async () => {
    const store = openGitStateStore({ dir: repo.dir, clock });
    const a = await store.commit({
      expectedHead: '',
      inventory: { web: record('web') },
      operations: [operation('op-1', 'web', ['started'])],
      message: 'a',
      trailers,
    });
    repo.git('gc', '-q', '--prune=now');
    repo.git('pack-refs', '--all');
    const fresh = openGitStateStore({ dir: repo.dir, clock });
    expect((await fresh.read()).inventory.get('web')).toEqual(record('web'));
    const b = await fresh.commit({
      expectedHead: a,
      operations: [operation('op-1', 'web', ['started', 'recorded'])],
      message: 'b',
      trailers,
    });
    expect(repo.git('rev-parse', 'certops/state').trim()).toBe(b);
    await expect(fresh.commit({ expectedHead: a, message: 'c', trailers })).rejects.toThrow(
      /moved/,
    );
    expect((await fresh.read()).open).toEqual([]);
    repo.git('fsck', '--strict', '--no-dangling');
  });
});
