import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../../test/helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await scratchDir()));
afterEach(() => cleanup());

describe('certops init', () => {
  it('creates a valid starter repository and a Git repository', async () => {
    const repo = path.join(dir, 'my-certs');
    const r = await runCli(['init', '--repo', repo, '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created certs.d/example-team/hello.yaml');
    expect(existsSync(path.join(repo, '.git'))).toBe(true);
    expect(await readFile(path.join(repo, '.gitignore'), 'utf8')).toContain('deploy/');
    expect(await readFile(path.join(repo, '.gitignore'), 'utf8')).toMatch(/^\.certops\/$/m);
    const v = await runCli(['validate', '--repo', repo, '--json']);
    expect(JSON.parse(v.stdout)).toMatchObject({
      ok: true,
      errors: 0,
      warnings: 0,
      objects: { Certificate: 1, Issuer: 1 },
    });
  });

  it('refuses an initialised repository unless --force, which adds only missing files', async () => {
    await runCli(['init', '--repo', dir, '--no-git']);
    expect(existsSync(path.join(dir, '.git'))).toBe(false);
    const again = await runCli(['init', '--repo', dir]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('--force');

    await rm(path.join(dir, 'certs.d/example-team/hello.yaml'));
    const before = await readFile(path.join(dir, 'certops.yaml'), 'utf8');
    const forced = await runCli(['init', '--repo', dir, '--force', '--no-git', '--json']);
    expect(forced.code).toBe(0);
    const out = JSON.parse(forced.stdout) as { created: string[]; skipped: string[] };
    expect(out.created).toEqual(['certs.d/example-team/hello.yaml']);
    expect(out.skipped).toContain('certops.yaml');
    expect(await readFile(path.join(dir, 'certops.yaml'), 'utf8')).toBe(before);
  });
});
