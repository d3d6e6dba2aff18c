// The CLI contract: verbs, help, global options, exit codes and JSON output, on the example repo.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MINIMAL_ISSUER, REPO_ROOT, runCli, scratchDir, writeTree } from './helpers.ts';

const exec = promisify(execFile);

describe('certops CLI', () => {
  it('lists every verb and the exit codes in --help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const verb of ['init', 'validate', 'plan', 'apply', 'status', 'policy'])
      expect(r.stdout).toMatch(new RegExp(`^  ${verb} `, 'm'));
    expect(r.stdout).toContain('3 invalid input');
  });

  it.each([
    'init',
    'validate',
    'plan',
    'apply',
    'status',
    'policy build',
    'policy test',
    'policy conformance',
  ])('%s --help explains the verb with examples', async (verb) => {
    const r = await runCli([...verb.split(' '), '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: certops ${verb}`);
    expect(r.stdout).toContain('Examples:');
  });

  it('prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('refuses unknown verbs and options with exit 3 and a suggestion', async () => {
    const verb = await runCli(['validat']);
    expect(verb.code).toBe(3);
    expect(verb.stderr).toContain('Did you mean validate?');
    const opt = await runCli(['validate', '--jsn']);
    expect(opt.code).toBe(3);
    expect(opt.stderr).toContain('--json');
    const json = await runCli(['validate', '--jsn', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('refuses a bad --now with exit 3 and an example', async () => {
    const r = await runCli(['validate', '--now', 'next tuesday']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--now 2026-12-01');
  });

  it('validates the example repository without errors or warnings', async () => {
    const r = await runCli(['validate', '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ valid: \d+ objects in \d+ files \(\d+ Certificate, /m);
    const json = await runCli(['validate', '--json']);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      errors: number;
      warnings: number;
      objects: Record<string, number>;
    };
    expect(report).toMatchObject({ ok: true, errors: 0, warnings: 0 });
    expect(report.objects.Certificate).toBeGreaterThanOrEqual(10);
    expect(report.objects.Issuer).toBe(3);
    expect(report.objects.Waiver).toBe(1);
  });

  it('reports an expired waiver as a warning once --now passes its expiry', async () => {
    const before = await runCli(['validate', '--json', '--now', '2027-06-30']);
    expect(JSON.parse(before.stdout).warnings).toBe(0);
    const after = await runCli(['validate', '--json', '--now', '2027-07-01']);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).diagnostics).toMatchObject([
      {
        severity: 'warning',
        code: 'waiver-expired',
        file: 'certs.d/payments/waivers/legacy-batch-rsa.yaml',
        path: 'spec.expires',
      },
    ]);
  });

  it('--explain shows each effective value and where it came from', async () => {
    const r = await runCli(['validate', '--explain', 'payments-api', '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^ {2}issuer: private-ca +# certs\.d\/_defaults\.yaml:\d+:\d+ \(defaults\)$/m,
    );
    expect(r.stdout).toMatch(
      /^ {4}algorithm: ECDSA +# certs\.d\/platform\/profiles\/tls-server\.yaml:\d+:\d+ \(profile\)$/m,
    );
    expect(r.stdout).toMatch(/^ {2}state: active +# built-in default$/m);
    expect(r.stdout).toMatch(
      /^ {2}dnsNames: \[api\.payments\.example\.com, .*# certs\.d\/payments\/api\.yaml:6:13$/m,
    );
  });

  it('--explain --json lists fields with their origin', async () => {
    const r = await runCli(['validate', '--explain', 'payments-api', '--json']);
    const e = JSON.parse(r.stdout) as {
      kind: string;
      team: string;
      fields: { path: string; origin: string; file?: string }[];
    };
    expect(e).toMatchObject({ kind: 'Certificate', team: 'payments' });
    expect(e.fields.find((f) => f.path === 'metadata.labels.team')).toMatchObject({
      origin: 'defaults',
      file: 'certs.d/payments/_defaults.yaml',
    });
    expect(e.fields.find((f) => f.path === 'spec.renewBefore')).toMatchObject({
      origin: 'profile',
    });
  });

  it('--explain of an unknown name exits 3 and says how to list names', async () => {
    const r = await runCli(['validate', '--explain', 'nope']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no object named "nope"');
  });

  it('runs as the installed bin, with real exit codes', async () => {
    const bin = path.join(REPO_ROOT, 'bin', 'certops.js');
    const ok = await exec(process.execPath, [bin, 'validate', '--json'], { cwd: REPO_ROOT });
    expect(JSON.parse(ok.stdout).ok).toBe(true);
    const bad = path.join(REPO_ROOT, 'engine/validate/__fixtures__/bad/21-dangling-issuer');
    const err = await exec(process.execPath, [bin, 'validate', '--repo', bad]).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(err).toMatchObject({ code: 3 });
    expect((err as { stdout: string }).stdout).toContain(
      'certs.d/web.yaml:6:11: error dangling-reference spec.issuer',
    );
  });
});

describe('certops CLI on a terminal', () => {
  it('shows progress on stderr and colours, and neither with --json or --no-color', async () => {
    const tty = await runCli(['validate'], { isTTY: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/reading \d+ files/);
    expect(tty.stderr).toMatch(/checking \d+ objects/);
    expect(tty.stdout).toContain('\u001b[32m✓');
    const json = await runCli(['validate', '--json'], { isTTY: true });
    expect(json.stderr).toBe('');
    expect(json.stdout).not.toContain('\u001b[');
    const plain = await runCli(['validate', '--no-color'], { isTTY: true });
    expect(plain.stdout).not.toContain('\u001b[');
    const noColorEnv = await runCli(['validate'], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(noColorEnv.stdout).not.toContain('\u001b[');
  });

  it('--explain shows internationalised names as they will be issued', async () => {
    const r = await runCli(['validate', '--explain', 'sso-idp', '--no-color']);
    expect(r.stdout).toContain(
      '# DNS names as issued: idp.example.com, xn--bcher-sso-q9a.example.com',
    );
    const json = JSON.parse((await runCli(['validate', '--explain', 'sso-idp', '--json'])).stdout);
    expect(json.issuedDnsNames).toEqual(['idp.example.com', 'xn--bcher-sso-q9a.example.com']);
  });
});

describe('certops as a pipeline stage', () => {
  it('ends quietly when the reader closes the pipe early (certops ... | head)', async () => {
    const { spawn } = await import('node:child_process');
    const { dir, cleanup } = await scratchDir();
    try {
      // Far more output than a pipe buffer holds: 1,500 findings.
      const files: Record<string, string> = { 'certs.d/ca.yaml': MINIMAL_ISSUER };
      for (let i = 0; i < 1500; i++) {
        files[`certs.d/c${i}.yaml`] =
          `apiVersion: certops/v1\nkind: Certificate\nmetadata:\n  name: c${i}\nspec:\n  issuer: private-ca\n  dnsNames: [bad..name${i}.example.com]\n`;
      }
      await writeTree(dir, files);
      const child = spawn(process.execPath, [
        path.join(REPO_ROOT, 'bin', 'certops.js'),
        'validate',
        '--repo',
        dir,
      ]);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).not.toContain('EPIPE');
      expect(code).toBe(3);
    } finally {
      await cleanup();
    }
  });
});

describe('certops policy conformance', () => {
  const shared = path.resolve(REPO_ROOT, '../shared/opa-conformance');
  const present = existsSync(shared);
  it.skipIf(!present)(
    `runs OPA's case files and reports no wrong answer${present ? '' : ' (skipped: ../shared/opa-conformance is absent)'}`,
    async () => {
      const r = await runCli(['policy', 'conformance', shared, '--json']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as {
        totals: { total: number; wrong: number; pass: number; unsupported: number };
      };
      expect(report.totals.total).toBe(312);
      expect(report.totals.wrong).toBe(0);
      expect(report.totals.pass + report.totals.unsupported).toBe(312);
      const text = await runCli(['policy', 'conformance', shared]);
      expect(text.stdout).toMatch(/^total +312 +\d+ +0 +\d+$/m);
    },
    60_000,
  );
});
