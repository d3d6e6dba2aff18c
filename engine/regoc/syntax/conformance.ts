// Parse-only pass over OPA conformance YAML files (test support; not used by the compiler).
// Every module and query must parse, or fail with REGO_UNSUPPORTED; anything else is a finding.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { RegoSyntaxError } from './errors.ts';
import { parseModule, parseQuery, type ParseResult } from './parser.ts';

export interface CategoryStats {
  parsed: number;
  unsupported: number;
  /** Parse errors other than REGO_UNSUPPORTED, and exceptions: must stay empty. */
  failures: string[];
  /** Distinct unsupported messages (without location), with counts. */
  unsupportedReasons: Record<string, number>;
}

interface CaseFile {
  cases?: { note?: string; query?: string; modules?: string[] }[];
}

/** Parses every module and query under `dir`; categories are the first folder level. */
export function parseConformanceDir(dir: string): Record<string, CategoryStats> {
  const out: Record<string, CategoryStats> = {};
  for (const file of yamlFiles(dir)) {
    const category = relative(dir, file).split(/[\\/]/)[0] ?? '';
    const stats = (out[category] ??= {
      parsed: 0,
      unsupported: 0,
      failures: [],
      unsupportedReasons: {},
    });
    const doc = parseYaml(readFileSync(file, 'utf8'), { intAsBigInt: true }) as CaseFile;
    for (const [i, kase] of (doc.cases ?? []).entries()) {
      const note = kase.note ?? `case ${i}`;
      const items: [string, () => ParseResult<unknown>][] = (kase.modules ?? []).map((m, j) => [
        `${note} module ${j}`,
        () => parseModule(m, { file: `module-${j}.rego`, compat: true }),
      ]);
      if (typeof kase.query === 'string') {
        const q = kase.query;
        items.push([`${note} query`, () => parseQuery(q, { compat: true })]);
      }
      for (const [label, run] of items) record(stats, label, run);
    }
  }
  return out;
}

function record(stats: CategoryStats, label: string, run: () => ParseResult<unknown>): void {
  let result: ParseResult<unknown>;
  try {
    result = run();
  } catch (e) {
    stats.failures.push(`${label}: threw ${String(e)}`);
    return;
  }
  if (result.ok) {
    stats.parsed++;
    return;
  }
  const other = result.errors.filter((e: RegoSyntaxError) => e.code !== 'REGO_UNSUPPORTED');
  if (other.length > 0) {
    stats.failures.push(...other.map((e) => `${label}: ${e.message}`));
    return;
  }
  stats.unsupported++;
  for (const e of result.errors) {
    stats.unsupportedReasons[e.detail] = (stats.unsupportedReasons[e.detail] ?? 0) + 1;
  }
}

export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (e.name.endsWith('.yaml') || e.name.endsWith('.yml')) out.push(p);
  }
  return out;
}
