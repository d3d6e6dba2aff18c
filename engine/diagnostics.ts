// A Diagnostic is one finding about the input, located at `file:line:col` and a path inside the
// document. Codes are stable identifiers listed in diagnostic-codes.ts.
import type { DiagnosticCode } from './diagnostic-codes.ts';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based; 0 when the finding is about the file as a whole. */
  line: number;
  col: number;
  /** Dotted path inside the document (`spec.dnsNames[1]`), or '' for the document itself. */
  path: string;
  message: string;
  /** What to do about it. */
  hint?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  const path = d.path ? ` ${d.path}:` : '';
  const head = `${where}: ${d.severity} ${d.code}${path} ${d.message}`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.col - b.col || cmp(a.code, b.code) || cmp(a.message, b.message);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorted, without exact repeats (a bad value in a _defaults.yaml is found once per object). */
export function normalizeDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of [...list].sort(compareDiagnostics)) {
    const key = `${d.file}\0${d.line}\0${d.col}\0${d.code}\0${d.path}\0${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** Formats a document path from segments: ['spec','dnsNames',1] → spec.dnsNames[1]. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
