// Crash safety: `certops apply` killed with SIGKILL right after each journal step, then run
// again, ends exactly like an uninterrupted run: every certificate issued once, deployed, recorded,
// no operation left open, nothing to plan.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { fingerprintSha256 } from '../engine/crypto/x509.ts';
import { countIssued } from '../engine/issuers/ca/records.ts';
import { REPO_ROOT, runCli, scratchDir } from './helpers.ts';
import { certificateYaml, commitAll, git, makeLifecycleRepo } from './lifecycle-repo.ts';

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, 'bin', 'certops.js');
const STEPS = ['started', 'key-ready', 'issued', 'deploying', 'deployed', 'verified', 'recorded'];

interface Outcome {
  code: number | null;
  signal: string | null;
  stdout: string;
}

async function apply(
  dir: string,
  home: string,
  crashAfter?: string,
  now?: string,
  concurrency = 1,
): Promise<Outcome> {
  const env = {
    ...process.env,
    CERTOPS_HOME: home,
    ...(crashAfter ? { CERTOPS_CRASH_AFTER: crashAfter } : {}),
  };
  const args = [BIN, '--repo', dir, '--no-color', ...(now ? ['--now', now] : []), 'apply'];
  args.push('--concurrency', String(concurrency));
  try {
    const r = await run(process.execPath, args, { env });
    return { code: 0, signal: null, stdout: r.stdout };
  } catch (e) {
    const err = e as { code: number | null; signal: string | null; stdout: string };
    return { code: err.code, signal: err.signal, stdout: err.stdout };
  }
}

function state(dir: string) {
  const files = git(dir, 'ls-tree', '-r', '--name-only', 'certops/state').trim().split('\n');
  const inventory = files
    .filter((f) => f.startsWith('inventory/'))
    .map(
      (f) =>
        JSON.parse(git(dir, 'show', `certops/state:${f}`)) as {
          name: string;
          serial: string;
          fingerprintSha256: string;
          state: string;
          targets: { target: string }[];
        },
    );
  const operations = files
    .filter((f) => f.startsWith('journal/'))
    .map(
      (f) => JSON.parse(git(dir, 'show', `certops/state:${f}`)) as { id: string; closed: boolean },
    );
  return { inventory, operations };
}

/** The shape an uninterrupted run leaves, without serials and times (random per run). */
function shape(dir: string) {
  const { inventory, operations } = state(dir);
  return {
    records: inventory
      .map((r) => ({ name: r.name, state: r.state, targets: r.targets.map((t) => t.target) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    open: operations.filter((o) => !o.closed).length,
    operations: operations.length,
  };
}

async function freshRepo(): Promise<{ dir: string; home: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await scratchDir('certops-crash-');
  const home = path.join(dir, '.home');
  await makeLifecycleRepo(dir, {
    'certs.d/team/web.yaml': certificateYaml('web', ['web.example.com'], ['files']),
  });
  expect(
    (await runCli(['--repo', dir, 'init', '--ca'], { env: { CERTOPS_HOME: home } })).code,
  ).toBe(0);
  return { dir, home, cleanup };
}

async function expectConverged(dir: string, home: string, issued: number): Promise<void> {
  expect(await countIssued(home, 'private-ca')).toBe(issued);
  const { inventory, operations } = state(dir);
  expect(operations.every((o) => o.closed)).toBe(true);
  for (const r of inventory) {
    const deployed = readFileSync(path.join(dir, 'deploy/files', `${r.name}.crt`), 'utf8');
    expect(fingerprintSha256(deployed)).toBe(r.fingerprintSha256);
  }
  expect(readdirSync(path.join(home, 'keys')).filter((f) => f.startsWith('pending-'))).toEqual([]);
  const plan = await runCli(['--repo', dir, 'plan'], { env: { CERTOPS_HOME: home } });
  expect(plan.code).toBe(0);
}

describe('apply killed after each journal step', () => {
  let reference: ReturnType<typeof shape>;

  beforeAll(async () => {
    const r = await freshRepo();
    try {
      expect((await apply(r.dir, r.home)).code).toBe(0);
      await expectConverged(r.dir, r.home, 2);
      reference = shape(r.dir);
    } finally {
      await r.cleanup();
    }
  }, 60_000);

  it.each(STEPS)(
    'after "%s": the re-run finishes the same way, issuing each certificate once',
    async (step) => {
      const r = await freshRepo();
      try {
        const killed = await apply(r.dir, r.home, step);
        expect(killed.signal).toBe('SIGKILL');
        const rerun = await apply(r.dir, r.home);
        expect(rerun.code).toBe(0);
        if (step !== 'recorded') expect(rerun.stdout).toContain('resumed 1 interrupted operation');
        await expectConverged(r.dir, r.home, 2);
        expect(shape(r.dir)).toEqual(reference);
      } finally {
        await r.cleanup();
      }
    },
    60_000,
  );

  // Both operations in flight when the process dies: each is resumed where it stood.
  it.each(['key-ready', 'deploying', 'verified'])(
    'concurrent operations, after "%s": the re-run finishes both, issuing each once',
    async (step) => {
      const r = await freshRepo();
      try {
        const killed = await apply(r.dir, r.home, step, undefined, 4);
        expect(killed.signal).toBe('SIGKILL');
        const rerun = await apply(r.dir, r.home, undefined, undefined, 4);
        expect(rerun.code).toBe(0);
        expect(rerun.stdout).toMatch(/resumed [12] interrupted operations?/);
        await expectConverged(r.dir, r.home, 2);
        expect(shape(r.dir)).toEqual(reference);
      } finally {
        await r.cleanup();
      }
    },
    60_000,
  );

  it('a renewal killed after issuing completes with one new certificate and the old one retired', async () => {
    const r = await freshRepo();
    try {
      expect((await apply(r.dir, r.home)).code).toBe(0);
      const before = state(r.dir).inventory.find((x) => x.name === 'web');
      const now = '2027-02-10T00:00:00Z'; // inside the 30-day window of both certificates
      expect((await apply(r.dir, r.home, 'issued', now)).signal).toBe('SIGKILL');
      expect((await apply(r.dir, r.home, undefined, now)).code).toBe(0);
      const after = state(r.dir).inventory.find((x) => x.name === 'web');
      expect(after?.serial).not.toBe(before?.serial);
      expect(await countIssued(r.home, 'private-ca')).toBe(4);
      const ca = readdirSync(path.join(r.home, 'ca/private-ca/issued')).map(
        (f) =>
          JSON.parse(readFileSync(path.join(r.home, 'ca/private-ca/issued', f), 'utf8')) as {
            serial: string;
            state: string;
            retired?: { reason: string };
          },
      );
      expect(ca.find((c) => c.serial === before?.serial)).toMatchObject({
        state: 'retired',
        retired: { reason: 'superseded' },
      });
      expect(ca.find((c) => c.serial === after?.serial)).toMatchObject({ state: 'issued' });
    } finally {
      await r.cleanup();
    }
  }, 60_000);

  it('an operation the desired state moved past is closed as abandoned, not resumed', async () => {
    const r = await freshRepo();
    try {
      expect((await apply(r.dir, r.home, 'issued')).signal).toBe('SIGKILL');
      // Change the first certificate's names before the re-run: its old operation no longer applies.
      writeFileSync(
        path.join(r.dir, 'certs.d/team/api.yaml'),
        certificateYaml('api', ['api2.example.com'], ['files']),
      );
      commitAll(r.dir, 'rename api');
      const rerun = await apply(r.dir, r.home);
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toContain('closed 1 operation(s) the desired state no longer asks for');
      const api = state(r.dir).inventory.find((x) => x.name === 'api') as unknown as {
        dnsNames: string[];
      };
      expect(api.dnsNames).toEqual(['api2.example.com']);
      await expectConverged(r.dir, r.home, 3);
    } finally {
      await r.cleanup();
    }
  }, 60_000);
});

describe('apply warns about keys written to a folder Git would commit', () => {
  it('names the target directory that .gitignore does not cover', async () => {
    const r = await freshRepo();
    try {
      writeFileSync(path.join(r.dir, '.gitignore'), '.home/\n');
      const out = await runCli(['--repo', r.dir, 'apply'], { env: { CERTOPS_HOME: r.home } });
      expect(out.code).toBe(0);
      expect(out.stderr).toContain(
        'warning: deploy/files/ is inside the repository and not in .gitignore',
      );
      writeFileSync(path.join(r.dir, '.gitignore'), '.home/\ndeploy/\n');
      const quiet = await runCli(['--repo', r.dir, 'apply'], { env: { CERTOPS_HOME: r.home } });
      expect(quiet.stderr).toBe('');
    } finally {
      await r.cleanup();
    }
  }, 60_000);
});

describe('the apply lock', () => {
  it('makes a second apply exit 6 while another holds it, and a dead holder does not block', async () => {
    const r = await freshRepo();
    try {
      const lock = path.join(r.dir, '.git', 'certops.lock');
      const holder = {
        owner: 'certops apply',
        pid: process.pid,
        hostname: hostname(),
        since: '2026-11-27T10:00:00.000Z',
      };
      writeFileSync(lock, JSON.stringify(holder));
      const held = await runCli(['--repo', r.dir, 'apply'], { env: { CERTOPS_HOME: r.home } });
      expect(held.code).toBe(6);
      expect(held.stderr).toContain(String(process.pid));
      expect(await countIssued(r.home, 'private-ca')).toBe(0);
      // A holder that died on this host leaves a stale lock: the next apply takes it over.
      writeFileSync(lock, JSON.stringify({ ...holder, pid: 2 ** 22 + 12345 }));
      expect((await apply(r.dir, r.home)).code).toBe(0);
      expect(await countIssued(r.home, 'private-ca')).toBe(2);
    } finally {
      await r.cleanup();
    }
  }, 60_000);
});
