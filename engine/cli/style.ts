// Terminal styling. Off with --no-color, NO_COLOR, or when output is not a terminal.
export interface Style {
  red: (s: string) => string;
  yellow: (s: string) => string;
  green: (s: string) => string;
  cyan: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export function makeStyle(enabled: boolean): Style {
  if (!enabled) {
    const id = (s: string): string => s;
    return { red: id, yellow: id, green: id, cyan: id, dim: id, bold: id };
  }
  return {
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}
