// The bad-input corpus: each fixture in __fixtures__/bad is a repository that must be refused
// with exit 3 and exactly the findings in its expected.txt, without crashing or writing.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, treeFingerprint } from '../../test/helpers.ts';

const CORPUS = path.join(import.meta.dirname, '__fixtures__', 'bad');
const fixtures = readdirSync(CORPUS)
  .filter((d) => /^\d\d-/.test(d))
  .sort();

describe('bad-input corpus', () => {
  it('holds at least 30 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it.each(fixtures)('%s is refused with its expected findings', async (name) => {
    const dir = path.join(CORPUS, name);
    const expected = readFileSync(path.join(dir, 'expected.txt'), 'utf8');
    const before = await treeFingerprint(dir);

    const text = await runCli(['validate', '--repo', dir, '--no-color']);
    expect(text.code).toBe(3);
    const lines = text.stdout.split('\n');
    expect(lines.at(-2)).toMatch(/^✗ \d+ errors?, \d+ warnings?;/);
    expect(lines.slice(0, -2).join('\n') + '\n').toBe(expected);

    const json = await runCli(['validate', '--repo', dir, '--json']);
    expect(json.code).toBe(3);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      diagnostics: { file: string; line: number; col: number; code: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.diagnostics.length).toBeGreaterThan(0);
    for (const d of report.diagnostics)
      expect(expected).toContain(`${d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file}: `);

    expect(await treeFingerprint(dir)).toBe(before);
  });
});
