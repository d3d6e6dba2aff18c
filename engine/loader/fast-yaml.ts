// The fast path for plain YAML files: js-yaml (about ten times faster than the `yaml` package
// here, which matters for 100,000-file repositories) with the YAML 1.2 core schema. It takes only
// files without tags, anchors or aliases, and returns undefined for anything it does not accept;
// the caller then uses the `yaml` package, which stays the authority for errors and positions.
// fast-yaml.test.ts checks both parsers give the same values.
import jsyaml from 'js-yaml';

/** Tags (!), anchors (&name) and aliases (*name) at the start of a token: left to the full parser. */
const NEEDS_FULL_PARSER = /(?:^|[\s[{,])(?:!|&[^\s&]|\*[^\s*])/;

export interface FastDoc {
  index: number;
  line: number;
  value: unknown;
}

export function fastParse(text: string): FastDoc[] | undefined {
  if (NEEDS_FULL_PARSER.test(text)) return undefined;
  const starts = documentStarts(text);
  if (!starts) return undefined;
  let values: unknown[];
  try {
    values = jsyaml.loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (values.length !== starts.length) return undefined;
  return values.map((value, index) => ({ index, line: starts[index] as number, value }));
}

/**
 * The first content line of each document, found from `---` markers; undefined when the layout
 * is unusual (directives, `...` markers, content on a marker line), for the full parser.
 */
function documentStarts(text: string): number[] | undefined {
  const lines = text.split('\n');
  const starts: number[] = [];
  let open = false; // inside a document whose first content line is not yet known
  let started = false; // any document begun
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('---')) {
      if (line.length > 3 && !/^---\s*(#.*)?\r?$/.test(line)) return undefined;
      if (open) starts.push(i + 1); // an empty document: point at its marker
      open = true;
      started = true;
      continue;
    }
    if (line.startsWith('...') || line.startsWith('%')) return undefined;
    const blank = /^\s*(#.*)?\r?$/.test(line);
    if (blank) continue;
    if (open || !started) {
      starts.push(i + 1);
      open = false;
      started = true;
    }
  }
  if (open) starts.push(lines.length);
  return starts;
}
