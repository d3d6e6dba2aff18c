// Source positions. Every token and AST node carries one; diagnostics print it as `file:line:col`.

/** A point in a source file. `line` and `col` are 1-based; `col` counts UTF-16 code units. */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** 0-based UTF-16 offset into the source text. */
  readonly offset: number;
}

export function formatLocation(loc: Location): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/** `line:col` without the file, for messages that point back into the same file. */
export function formatLineCol(loc: Location): string {
  return `${loc.line}:${loc.col}`;
}
