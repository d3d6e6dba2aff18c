// Robustness: truncated and mutated conformance modules never make the parser throw; they yield
// a module or RegoSyntaxErrors with locations. Deterministic seed, bounded iterations.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { yamlFiles } from './conformance.ts';
import { parseModule, parseQuery } from './parser.ts';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
const casesDir = resolve(repoRoot, '../shared/opa-conformance');

const FALLBACK =
  'package t\np contains x if {\n  some k, v in {"a": [1, 2.5e3]}\n  x := [k | v[_] > 1]\n} else := 1\n';

function corpus(): string[] {
  if (!existsSync(casesDir)) return [FALLBACK];
  const out: string[] = [FALLBACK];
  for (const f of yamlFiles(casesDir)) {
    const doc = parseYaml(readFileSync(f, 'utf8'), { intAsBigInt: true }) as {
      cases?: { modules?: string[] }[];
    };
    for (const c of doc.cases ?? []) out.push(...(c.modules ?? []));
  }
  return out;
}

/** mulberry32: small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '|',
  ':=',
  '=',
  ',',
  ';',
  '\n',
  '"',
  '`',
  '\\',
  '-',
  '.',
  'if',
  'else',
  'some',
  'every',
  'in',
  'not',
  'with',
  'contains',
  '$"',
  '0',
  '1e',
  '#',
];

function mutate(src: string, r: () => number): string {
  const at = Math.floor(r() * (src.length + 1));
  switch (Math.floor(r() * 4)) {
    case 0:
      return src.slice(0, at);
    case 1:
      return src.slice(0, at) + src.slice(at + 1 + Math.floor(r() * 4));
    case 2:
      return src.slice(0, at) + (PIECES[Math.floor(r() * PIECES.length)] ?? '') + src.slice(at);
    default: {
      const other = Math.floor(r() * (src.length + 1));
      return src.slice(0, Math.min(at, other)) + src.slice(Math.max(at, other));
    }
  }
}

describe('fuzz-ish robustness', () => {
  it('never throws on truncated or mutated modules', () => {
    const sources = corpus();
    const r = rng(20261127);
    let failed = 0;
    for (let i = 0; i < 6000; i++) {
      const base = sources[Math.floor(r() * sources.length)] ?? FALLBACK;
      let text = mutate(base, r);
      if (r() < 0.3) text = mutate(text, r);
      for (const run of [() => parseModule(text, { compat: true }), () => parseQuery(text)]) {
        const res = run();
        if (!res.ok) {
          expect(res.errors.length).toBeGreaterThan(0);
          for (const e of res.errors) expect(e.location.line).toBeGreaterThanOrEqual(1);
          failed++;
        }
      }
    }
    expect(failed).toBeGreaterThan(1000);
  });
});
