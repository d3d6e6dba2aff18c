// The shipped policies (policies/**/*.rego) through regoc's front end: every file parses as
// Rego v1 and the checker accepts all modules together (no undefined functions, unsafe
// variables or rule conflicts). Evaluation of their Rego tests is `certops policy test`'s job;
// here each rule id must at least be exercised by a firing and a non-firing test case.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../regoc/check/check.ts';
import { formatCheckDiagnostic } from '../regoc/check/diagnostics.ts';
import type { Module } from '../regoc/syntax/ast.ts';
import { formatLocation } from '../regoc/syntax/location.ts';
import { parseModule } from '../regoc/syntax/parser.ts';

const root = join(import.meta.dirname, '..', '..');
const policiesDir = join(root, 'policies');

function regoFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? regoFiles(join(dir, e.name))
        : e.name.endsWith('.rego')
          ? [join(dir, e.name)]
          : [],
    )
    .sort();
}

const files = regoFiles(policiesDir);
const rel = (f: string): string => relative(root, f);
const isTest = (f: string): boolean => f.endsWith('_test.rego');
const ruleIds = (text: string): string[] =>
  [...text.matchAll(/"id":\s*"([a-z0-9_.]+)"/g)].map((m) => m[1] as string);

describe('shipped policies', () => {
  it('exist: policy files with their tests', () => {
    expect(files.filter((f) => !isTest(f)).length).toBeGreaterThanOrEqual(5);
  });

  it('parse as Rego v1 and pass the checker together', () => {
    const modules: Module[] = [];
    const syntax: string[] = [];
    for (const f of files) {
      const r = parseModule(readFileSync(f, 'utf8'), { file: rel(f), compat: false });
      if (r.ok) modules.push(r.value);
      else syntax.push(...r.errors.map((e) => `${formatLocation(e.location)}: ${e.detail}`));
    }
    expect(syntax).toEqual([]);
    expect(check(modules).diagnostics.map(formatCheckDiagnostic)).toEqual([]);
  });

  it.each(files.filter((f) => !isTest(f)).map(rel))('%s has a _test.rego', (f) => {
    const test = join(root, f.replace(/\.rego$/, '_test.rego'));
    expect(files).toContain(test);
  });

  // Test cases call `fires("<id>", ...)` (the rule produces the result) and
  // `not fires("<id>", ...)` (it does not): both must exist for every rule id.
  it.each(files.filter((f) => !isTest(f) && ruleIds(readFileSync(f, 'utf8')).length > 0).map(rel))(
    '%s: every rule id has a firing and a non-firing test case',
    (f) => {
      const ids = ruleIds(readFileSync(join(root, f), 'utf8'));
      const tests = readFileSync(join(root, f.replace(/\.rego$/, '_test.rego')), 'utf8').split(
        '\n',
      );
      const missing = ids.flatMap((id) => {
        const call = `fires("${id}"`;
        const fires = tests.some((l) => l.includes(call) && !l.includes(`not ${call}`));
        const quiet = tests.some((l) => l.includes(`not ${call}`));
        return [
          ...(fires ? [] : [`${id}: no firing case`]),
          ...(quiet ? [] : [`${id}: no non-firing case`]),
        ];
      });
      expect(missing).toEqual([]);
    },
  );

  it('data.json holds the configuration the policies read', () => {
    const data = JSON.parse(readFileSync(join(policiesDir, 'data.json'), 'utf8')) as {
      certops: {
        config: Record<string, unknown>;
        zones: Record<string, string[]>;
        wildcard_zones: string[];
      };
    };
    const { config, zones, wildcard_zones } = data.certops;
    expect(typeof config.private_max_validity_days).toBe('number');
    expect(typeof config.security_team).toBe('string');
    expect(Array.isArray(config.ed25519_target_types)).toBe(true);
    expect(Object.keys(zones).sort()).toEqual(['identity', 'payments', 'platform']);
    expect(wildcard_zones).toContain('apps.example.internal');
  });
});
