// A cheap pre-scan that refuses pathological nesting before the YAML parser sees it: the parser
// recurses once per nesting level, so depth is a resource limit like size.
import type { Limits } from './limits.ts';

export function findStructureProblem(
  text: string,
  limits: Pick<Limits, 'maxNesting' | 'maxIndent'>,
): { offset: number; reason: string } | undefined {
  let depth = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === ' ') {
        if (++indent > limits.maxIndent) {
          return { offset: i, reason: `indentation deeper than ${limits.maxIndent} columns` };
        }
        continue;
      }
      lineStart = false;
    }
    const prev = i === 0 ? '\n' : text[i - 1];
    const tokenStart =
      prev === ' ' ||
      prev === '\n' ||
      prev === '\t' ||
      prev === '[' ||
      prev === '{' ||
      prev === ',' ||
      prev === ':';
    if (c === '#' && (prev === ' ' || prev === '\n' || prev === '\t' || i === 0)) {
      const end = text.indexOf('\n', i);
      i = (end === -1 ? text.length : end) - 1;
    } else if ((c === '"' || c === "'") && tokenStart) {
      i = skipQuoted(text, i);
    } else if (c === '[' || c === '{') {
      if (++depth > limits.maxNesting) {
        return { offset: i, reason: `collections nested deeper than ${limits.maxNesting} levels` };
      }
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function skipQuoted(text: string, start: number): number {
  const q = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}
