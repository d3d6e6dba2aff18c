// Finds where a path inside a document is written, by parsing the file again on demand. The
// loader keeps only plain values and source text; positions are needed only for findings and
// `--explain`, so they are computed when asked (cheap, and keeps 100k-file repos small in memory).
import { parseAllDocuments, isMap, isSeq, isScalar, isPair, type Document, type Node } from 'yaml';
import { YAML_OPTIONS } from './parse-file.ts';
import { textPosition } from './text.ts';

export type PathSegment = string | number;
export interface Position {
  line: number;
  col: number;
  /** True when the whole path was found; false when the position is of its nearest ancestor. */
  exact: boolean;
}

const cache = new Map<string, Document.Parsed[]>();
const CACHE_SIZE = 32;

function docsOf(text: string): Document.Parsed[] {
  let docs = cache.get(text);
  if (!docs) {
    docs = parseAllDocuments(text, YAML_OPTIONS) as unknown as Document.Parsed[];
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(text, docs);
  }
  return docs;
}

/**
 * Position of `path` in document `docIndex` of `text`: the key for `at: 'key'` (where a field is
 * named), the value for `at: 'value'` (where a wrong value is written).
 */
export function locate(
  text: string,
  docIndex: number,
  path: readonly PathSegment[],
  at: 'key' | 'value' = 'value',
): Position {
  const doc = docsOf(text)[docIndex];
  if (!doc?.contents) return { line: 1, col: 1, exact: false };
  let node: Node | null = doc.contents;
  let keyNode: Node | null = null;
  let found = 0;
  for (const seg of path) {
    let next: Node | null = null;
    let nextKey: Node | null = null;
    if (isMap(node)) {
      for (const item of node.items) {
        if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(seg)) {
          nextKey = item.key;
          next = (item.value as Node | null) ?? item.key;
          break;
        }
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = (node.items[seg] as Node | undefined) ?? null;
    }
    if (!next) break;
    node = next;
    keyNode = nextKey;
    found++;
  }
  const exact = found === path.length;
  const target = (at === 'key' || !exact) && keyNode ? keyNode : node;
  const pos = textPosition(text, target?.range?.[0] ?? 0);
  return { ...pos, exact };
}
