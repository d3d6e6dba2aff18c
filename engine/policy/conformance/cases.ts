// Reads OPA conformance YAML files into typed cases. Contract: YAML is parsed with the `yaml`
// package and `intAsBigInt`, so integers beyond 2^53 stay exact (as bigint); every other field is
// kept as written. Field presence is preserved (`wantResult: undefined` ≠ `wantResult: []`).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { JsonValue } from './values.ts';

export type Bindings = Readonly<Record<string, JsonValue>>;

export interface ConformanceCase {
  /** `note` of the case, or `<file>#<index>` when it has none. */
  readonly note: string;
  /** The first folder level under the conformance directory, e.g. "eqexpr". */
  readonly category: string;
  /** Path of the YAML file relative to the conformance directory. */
  readonly file: string;
  readonly index: number;
  readonly query: string;
  readonly modules: readonly string[];
  readonly data: JsonValue | undefined;
  readonly input: JsonValue | undefined;
  /** The input written as a Rego term (`input_term`); takes precedence over `input`. */
  readonly inputTerm: string | undefined;
  readonly wantResult: readonly Bindings[] | undefined;
  readonly wantError: string | undefined;
  readonly wantErrorCode: string | undefined;
  readonly sortBindings: boolean;
  readonly strictError: boolean;
}

interface RawCase {
  note?: unknown;
  query?: unknown;
  modules?: unknown;
  data?: JsonValue;
  input?: JsonValue;
  input_term?: unknown;
  want_result?: unknown;
  want_error?: unknown;
  want_error_code?: unknown;
  sort_bindings?: unknown;
  strict_error?: unknown;
}

const str = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : String(v);

/** Cases of one YAML text; `file` is used for labels and the category. */
export function parseCases(text: string, file: string): ConformanceCase[] {
  const doc = parseYaml(text, { intAsBigInt: true }) as { cases?: RawCase[] } | null;
  const category = file.split(/[\\/]/)[0] ?? '';
  return (doc?.cases ?? []).map((raw, index): ConformanceCase => {
    const modules = Array.isArray(raw.modules) ? raw.modules.map(String) : [];
    return {
      note: str(raw.note) ?? `${file}#${index}`,
      category: file.includes('/') || file.includes('\\') ? category : '',
      file,
      index,
      query: str(raw.query) ?? '',
      modules,
      data: raw.data,
      input: raw.input,
      inputTerm: str(raw.input_term),
      wantResult: Array.isArray(raw.want_result) ? (raw.want_result as Bindings[]) : undefined,
      wantError: str(raw.want_error),
      wantErrorCode: str(raw.want_error_code),
      sortBindings: raw.sort_bindings === true,
      strictError: raw.strict_error === true,
    };
  });
}

/** Every case of every *.yaml / *.yml under `dir`, in sorted path order. */
export function loadCases(dir: string): ConformanceCase[] {
  return yamlFiles(dir).flatMap((f) =>
    parseCases(readFileSync(f, 'utf8'), relative(dir, f).split('\\').join('/')),
  );
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}
