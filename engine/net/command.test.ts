import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExternalError } from '../errors.ts';
import { processRunner } from './command.ts';
import { TailBuffer, tail } from './command-support.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'certops-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Running (a zombie waiting for an init that does not reap promptly counts as dead). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return false;
  }
}

describe('processRunner', () => {
  it('passes argv verbatim, with no shell in between', async () => {
    const r = await processRunner.run(['printf', '%s|%s', '$HOME; echo hi', '*']);
    expect(r).toEqual({ code: 0, stdout: '$HOME; echo hi|*', stderr: '' });
  });

  it('reports a failing command by its exit code and keeps stderr', async () => {
    const r = await processRunner.run(['sh', '-c', 'echo oops >&2; exit 3']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('oops\n');
  });

  it('reports death by signal as 128 + signal', async () => {
    const r = await processRunner.run(['sh', '-c', 'kill -TERM $$']);
    expect(r.code).toBe(143);
  });

  it('starts from a minimal environment plus what the caller passes', async () => {
    process.env.CERTOPS_TEST_SECRET = 'leak';
    try {
      const r = await processRunner.run(['sh', '-c', 'env | sort'], { env: { EXTRA: 'x y' } });
      const names = r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('=')[0]);
      expect(names).not.toContain('CERTOPS_TEST_SECRET');
      expect(r.stdout).toContain('EXTRA=x y\n');
      expect(names).toEqual(expect.arrayContaining(['PATH', 'LANG']));
    } finally {
      delete process.env.CERTOPS_TEST_SECRET;
    }
  });

  it('runs in the given working directory', async () => {
    const r = await processRunner.run(['pwd'], { cwd: dir });
    expect(r.stdout.trim()).toBe(dir);
  });

  it('says clearly when the executable does not exist', async () => {
    const err = await processRunner.run(['certops-no-such-command', '-v']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect((err as ExternalError).message).toBe('command not found: certops-no-such-command');
    expect((err as ExternalError).hint).toMatch(/PATH=/);
  });

  it('says when the working directory is missing', async () => {
    const err = await processRunner
      .run(['true'], { cwd: path.join(dir, 'missing') })
      .catch((e: unknown) => e);
    expect((err as ExternalError).message).toMatch(/working directory .* does not exist/);
  });

  it('kills the whole process group on timeout', async () => {
    const pidFile = path.join(dir, 'bg.pid');
    const started = performance.now();
    const err = await processRunner
      .run(['sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`], { timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(ExternalError);
    expect((err as ExternalError).message).toMatch(/timed out after 300 ms/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
  });

  it('follows up with SIGKILL when the command ignores SIGTERM', async () => {
    const pidFile = path.join(dir, 'stubborn.pid');
    const err = await processRunner
      .run(['sh', '-c', `trap '' TERM; sleep 30 & echo $! > ${pidFile}; wait`], { timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect((err as ExternalError).message).toMatch(/timed out/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
  });

  it('does not wait for a background grandchild holding its output open', async () => {
    const started = performance.now();
    const r = await processRunner.run(['sh', '-c', 'echo done; (sleep 3 &)']);
    expect(r).toMatchObject({ code: 0, stdout: 'done\n' });
    expect(performance.now() - started).toBeLessThan(2_500);
  });
});

describe('TailBuffer', () => {
  it('keeps the last bytes and marks dropped output', () => {
    const b = new TailBuffer(8);
    b.push(Buffer.from('0123456'));
    b.push(Buffer.from('789abc'));
    expect(b.text()).toBe('[earlier output dropped]\n56789abc');
  });

  it('tail() keeps the last non-empty lines', () => {
    expect(tail('a\n\nb\nc\n', 2)).toBe('b\nc');
  });
});
