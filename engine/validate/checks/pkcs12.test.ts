// The pkcs12-password check; the refusal itself is also in __fixtures__/bad/51-pkcs12-without-password.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateRepository } from '../validate-repo.ts';

const root = mkdtempSync(path.join(tmpdir(), 'certops-pkcs12-check-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
async function codesFor(spec: string): Promise<string[]> {
  const repo = path.join(root, `repo${n++}`);
  mkdirSync(path.join(repo, 'certs.d'), { recursive: true });
  const target = `apiVersion: certops/v1\nkind: Target\nmetadata:\n  name: t\nspec:\n${spec}`;
  writeFileSync(path.join(repo, 'certs.d', 't.yaml'), target);
  const report = await validateRepository(repo, { now: new Date('2026-01-01T00:00:00Z') });
  return report.diagnostics.map((d) => d.code);
}

describe('pkcs12-password check', () => {
  it('flags files.pkcs12 without pkcs12Password', async () => {
    const spec = '  type: file\n  directory: out\n  files: { pkcs12: x.p12 }\n';
    expect(await codesFor(spec)).toEqual(['pkcs12-password']);
  });

  it('accepts files.pkcs12 with an env or file password, and targets without pkcs12', async () => {
    const base = '  type: file\n  directory: out\n';
    expect(
      await codesFor(`${base}  files: { pkcs12: x.p12 }\n  pkcs12Password: { env: P }\n`),
    ).toEqual([]);
    expect(
      await codesFor(
        `${base}  files: { pkcs12: x.p12 }\n  pkcs12Password: { file: /run/secrets/p }\n`,
      ),
    ).toEqual([]);
    expect(await codesFor(`${base}  files: { cert: x.crt }\n`)).toEqual([]);
  });
});
