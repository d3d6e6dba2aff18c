import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { StateConflictError, StateWriteRefusedError } from './errors.ts';
import { openGitStateStore } from './git-store.ts';
import type { TestRepo } from './testing.ts';
import { clock, makeRepo, operation, record } from './testing.ts';

let repo: TestRepo;
beforeEach(async () => {
  repo = await makeRepo({ withCommit: true });
});
afterEach(() => repo.cleanup());

const trailers = { 'Certops-Operation': 'op-1', 'Certops-Step': 'recorded' };

describe('openGitStateStore', () => {
  it('round-trips inventory records and operations', async () => {
    const store = openGitStateStore({ dir: repo.dir, clock });
    expect(await store.read()).toEqual({ inventory: new Map(), open: [], head: '' });
    const open = operation('op-2', 'api', ['started', 'issued']);
    const closed = operation('op-1', 'web', ['started', 'recorded']);
    const sha = await store.commit({
      expectedHead: '',
      inventory: { web: record('web'), api: record('api', { state: 'retired' }) },
      operations: [open, closed],
      message: 'record web and api',
      trailers,
    });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    const snap = await openGitStateStore({ dir: repo.dir, clock }).read();
    expect(snap.head).toBe(sha);
    expect([...snap.inventory.keys()]).toEqual(['api', 'web']);
    expect(snap.inventory.get('api')).toEqual(record('api', { state: 'retired' }));
    expect(snap.open).toEqual([open]);
    expect(await store.operations()).toEqual([closed, open]);
    expect(repo.git('rev-parse', 'certops/state').trim()).toBe(sha);
  });

  it('upserts and deletes records, writing sorted pretty JSON with a trailing newline', async () => {
    const store = openGitStateStore({ dir: repo.dir, clock });
    const first = await store.commit({
      expectedHead: '',
      inventory: { web: record('web'), api: record('api') },
      message: 'first',
      trailers,
    });
    const second = await store.commit({
      expectedHead: first,
      inventory: { web: record('web', { serial: '02cd' }), api: null },
      message: 'second',
      trailers,
    });
    const snap = await store.read();
    expect([...snap.inventory.keys()]).toEqual(['web']);
    expect(snap.inventory.get('web')?.serial).toBe('02cd');
    const text = repo.git('show', `${second}:inventory/web.json`);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "certificatePem": ');
    const keys = Object.keys(JSON.parse(text) as object);
    expect(keys).toEqual([...keys].sort());
    expect(repo.git('ls-tree', '-r', '--name-only', second).split('\n')).toEqual([
      'inventory/web.json',
      '',
    ]);
    // Deleting the last record removes the subtree; operations are kept.
    const third = await store.commit({
      expectedHead: second,
      inventory: { web: null },
      operations: [operation('op-1', 'web', ['started'])],
      message: 'third',
      trailers,
    });
    expect(repo.git('ls-tree', '--name-only', third)).toBe('journal\n');
    expect((await store.read()).inventory.size).toBe(0);
  });

  it('writes commits with trailers that git log reads, and a valid repository', async () => {
    const store = openGitStateStore({
      dir: repo.dir,
      clock,
      author: { name: 'Bot', email: 'b@x' },
    });
    const a = await store.commit({ expectedHead: '', message: 'one', trailers });
    const b = await store.commit({
      expectedHead: a,
      operations: [operation('op-7', 'web', ['started'])],
      message: 'two\n\nmore detail',
      trailers: { 'Certops-Operation': 'op-7', 'Certops-Desired-Commit': '' },
    });
    const cli = repo.git(
      'log',
      '--format=%H|%P|%an <%ae>|%cI|%(trailers:key=Certops-Operation,valueonly,separator=)',
      'certops/state',
    );
    expect(cli.trim().split('\n')).toEqual([
      `${b}|${a}|Bot <b@x>|2030-01-02T03:04:05+00:00|op-7`,
      `${a}||Bot <b@x>|2030-01-02T03:04:05+00:00|op-1`,
    ]);
    expect(await store.log()).toEqual([
      {
        sha: b,
        message: 'two\n\nmore detail',
        trailers: { 'Certops-Operation': 'op-7', 'Certops-Desired-Commit': '' },
        time: '2030-01-02T03:04:05.000Z',
      },
      { sha: a, message: 'one', trailers, time: '2030-01-02T03:04:05.000Z' },
    ]);
    expect((await store.log(1)).map((c) => c.sha)).toEqual([b]);
    repo.git('fsck', '--strict', '--no-dangling'); // throws on a non-zero exit
  });

  it('never touches the work tree, the index or HEAD', async () => {
    repo.git('status', '--porcelain'); // refresh the index stat data first
    const before = [repo.git('status', '--porcelain=v2', '--branch'), repo.git('ls-files', '-s')];
    const store = openGitStateStore({ dir: repo.dir, clock });
    const head = await store.commit({
      expectedHead: '',
      inventory: { web: record('web') },
      message: 'm',
      trailers,
    });
    await store.commit({ expectedHead: head, inventory: { web: null }, message: 'm', trailers });
    expect([repo.git('status', '--porcelain=v2', '--branch'), repo.git('ls-files', '-s')]).toEqual(
      before,
    );
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(repo.git('symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');
  });

  it('rejects a stale expectedHead and leaves the branch alone', async () => {
    const store = openGitStateStore({ dir: repo.dir, clock });
    const a = await store.commit({ expectedHead: '', message: 'a', trailers });
    const b = await store.commit({ expectedHead: a, message: 'b', trailers });
    const stale = store.commit({ expectedHead: a, message: 'c', trailers });
    await expect(stale).rejects.toBeInstanceOf(StateConflictError);
    await expect(stale).rejects.toThrow(/moved: expected .* found/);
    await expect(store.commit({ expectedHead: '', message: 'c', trailers })).rejects.toThrow(
      StateConflictError,
    );
    expect(repo.git('rev-parse', 'certops/state').trim()).toBe(b);
  });

  it('lets exactly one of two stores move the branch from the same head', async () => {
    const one = openGitStateStore({ dir: repo.dir, clock });
    const two = openGitStateStore({ dir: repo.dir, clock });
    const base = await one.commit({ expectedHead: '', message: 'base', trailers });
    const results = await Promise.allSettled(
      [one, two].map((s, i) => s.commit({ expectedHead: base, message: `w${i}`, trailers })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const won = results.find((r) => r.status === 'fulfilled');
    expect(repo.git('rev-parse', 'certops/state').trim()).toBe(won?.value);
  });

  it('keeps the journal append-only and closed consistent with its events', async () => {
    const store = openGitStateStore({ dir: repo.dir, clock });
    const op = operation('op-1', 'web', ['started', 'issued']);
    const head = await store.commit({ expectedHead: '', operations: [op], message: 'm', trailers });
    const rewrite = {
      ...op,
      events: [{ step: 'failed' as const, at: 'x' }, ...op.events],
      closed: true,
    };
    await expect(
      store.commit({ expectedHead: head, operations: [rewrite], message: 'm', trailers }),
    ).rejects.toThrow(/rewrites recorded event 0/);
    const unclosed = {
      ...operation('op-1', 'web', ['started', 'issued', 'recorded']),
      closed: false,
    };
    await expect(
      store.commit({ expectedHead: head, operations: [unclosed], message: 'm', trailers }),
    ).rejects.toThrow(/closing event but closed is false/);
    const next = operation('op-1', 'web', ['started', 'issued', 'recorded']);
    await store.commit({ expectedHead: head, operations: [next], message: 'm', trailers });
    expect(await store.operations()).toEqual([next]);
  });

  it('refuses names that are not plain file names, writing nothing', async () => {
    const store = openGitStateStore({ dir: repo.dir, clock });
    for (const name of ['../x', 'a/b', 'Web', '.hidden', '']) {
      await expect(
        store.commit({
          expectedHead: '',
          inventory: { [name]: record(name) },
          message: 'm',
          trailers,
        }),
      ).rejects.toThrow(StateWriteRefusedError);
    }
    await expect(
      store.commit({
        expectedHead: '',
        operations: [operation('../op', 'web', [])],
        message: 'm',
        trailers,
      }),
    ).rejects.toThrow(/operation id/);
    await expect(
      store.commit({ expectedHead: '', inventory: { web: record('api') }, message: 'm', trailers }),
    ).rejects.toThrow(/holds a record named api/);
    await expect(
      store.commit({ expectedHead: '', message: 'm', trailers: { 'Bad Key': 'v' } }),
    ).rejects.toThrow(/trailer key/);
    await expect(
      store.commit({ expectedHead: '', message: 'm', trailers: { K: 'a\nb' } }),
    ).rejects.toThrow(/single-line/);
    expect(repo.git('branch', '--list', 'certops/state')).toBe('');
  });

  it('reports a missing repository with the init hint', async () => {
    await repo.cleanup();
    const store = openGitStateStore({ dir: repo.dir, clock });
    const err = await store.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).hint).toContain('Run `git init` there (certops init does it)');
  });
});
