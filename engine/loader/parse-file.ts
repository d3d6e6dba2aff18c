// Parses one YAML file of untrusted input into plain documents, never throwing: every problem
// becomes a Diagnostic naming the file, line and column. Pure (bytes in, data out), so it can
// run in a worker thread.
import type { DiagnosticCode } from '../diagnostic-codes.ts';
import { parseAllDocuments, visit, isAlias, type Document } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';
import type { Limits } from './limits.ts';
import { bytePosition, decodeUtf8, textPosition } from './text.ts';
import { findStructureProblem } from './structure.ts';
import { fastParse } from './fast-yaml.ts';

export interface RawDoc {
  /** 0-based position of the document in its file. */
  index: number;
  line: number;
  col: number;
  value: unknown;
}

export interface ParsedFile {
  file: string;
  text: string;
  docs: RawDoc[];
  diagnostics: Diagnostic[];
}

export const YAML_OPTIONS = {
  uniqueKeys: true,
  schema: 'core',
  merge: false,
  strict: true,
  prettyErrors: true,
} as const;

export function parseYamlFile(file: string, bytes: Uint8Array, limits: Limits): ParsedFile {
  const diagnostics: Diagnostic[] = [];
  const out: ParsedFile = { file, text: '', docs: [], diagnostics };
  const err = (
    code: DiagnosticCode,
    line: number,
    col: number,
    message: string,
    hint: string,
  ): void => {
    diagnostics.push({ severity: 'error', code, file, line, col, path: '', message, hint });
  };

  if (bytes.length > limits.maxFileBytes) {
    err(
      'file-too-large',
      0,
      0,
      `file is ${bytes.length} bytes; the limit is ${limits.maxFileBytes}`,
      'Split it into one file per object, or raise spec.limits.maxFileBytes in certops.yaml.',
    );
    return out;
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    const at = bytePosition(bytes, decoded.offset);
    err(
      'not-utf8',
      at.line,
      at.col,
      `byte 0x${(bytes[decoded.offset] ?? 0).toString(16).padStart(2, '0')} is not valid UTF-8`,
      'Save the file as UTF-8.',
    );
    return out;
  }
  const text = decoded.text;
  out.text = text;
  if (text.includes('\0')) {
    const at = textPosition(text, text.indexOf('\0'));
    err(
      'not-text',
      at.line,
      at.col,
      'file contains a NUL byte',
      'certs.d holds YAML text files only.',
    );
    return out;
  }
  const problem = findStructureProblem(text, limits);
  if (problem) {
    const at = textPosition(text, problem.offset);
    err(
      'yaml-too-deep',
      at.line,
      at.col,
      problem.reason,
      'Flatten the structure; certops documents are shallow.',
    );
    return out;
  }

  const fast = fastParse(text);
  if (fast && fast.length <= limits.maxDocumentsPerFile) {
    for (const d of fast) {
      if (d.value !== null && d.value !== undefined)
        out.docs.push({ index: d.index, line: d.line, col: 1, value: d.value });
    }
    return out;
  }

  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, YAML_OPTIONS) as unknown as Document.Parsed[];
  } catch (e) {
    err(
      'yaml-syntax',
      0,
      0,
      `YAML parser failed: ${(e as Error).message}`,
      'Check the file is YAML.',
    );
    return out;
  }
  if (docs.length > limits.maxDocumentsPerFile) {
    err(
      'too-many-documents',
      0,
      0,
      `file has ${docs.length} documents; the limit is ${limits.maxDocumentsPerFile}`,
      'Use one file per object.',
    );
    return out;
  }
  docs.forEach((doc, index) => {
    const before = diagnostics.length;
    for (const e of [...doc.errors, ...doc.warnings]) {
      const pos = e.linePos?.[0] ?? textPosition(text, e.pos[0]);
      const message = e.message.split(/ at line \d+, column \d+/)[0] ?? e.message;
      const dup = e.code === 'DUPLICATE_KEY';
      err(
        dup ? 'yaml-duplicate-key' : e.code === 'TAG_RESOLVE_FAILED' ? 'yaml-tag' : 'yaml-syntax',
        pos.line,
        pos.col,
        message,
        dup
          ? 'Remove one of the two keys.'
          : e.code === 'TAB_AS_INDENT'
            ? 'Indent with spaces, not tabs.'
            : 'Fix the YAML syntax at this position.',
      );
    }
    visit(doc, {
      Node(_key, node) {
        if ('tag' in node && typeof node.tag === 'string' && node.range) {
          let bang = text.lastIndexOf('!', node.range[0]);
          while (bang > 0 && text[bang - 1] === '!') bang--;
          const at = textPosition(text, bang === -1 ? node.range[0] : bang);
          const shown = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
          err(
            'yaml-tag',
            at.line,
            at.col,
            `explicit YAML tag ${shown} is not allowed`,
            'Write a plain value without a "!" tag.',
          );
          return visit.BREAK;
        }
        return undefined;
      },
    });
    if (diagnostics.length > before || doc.contents === null) return;
    const start = textPosition(text, doc.contents.range?.[0] ?? 0);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliases });
    } catch (e) {
      const alias = firstAlias(doc);
      const at = alias === undefined ? start : textPosition(text, alias);
      const bomb = /alias/i.test((e as Error).message);
      err(
        bomb ? 'yaml-alias-limit' : 'yaml-syntax',
        at.line,
        at.col,
        bomb ? `document expands more than ${limits.maxAliases} aliases` : (e as Error).message,
        bomb ? 'Write the values out instead of aliasing them.' : 'Fix the YAML at this position.',
      );
      return;
    }
    if (value === null || value === undefined) return; // an empty document, e.g. a stray `---`
    out.docs.push({ index, line: start.line, col: start.col, value });
  });
  return out;
}

function firstAlias(doc: Document.Parsed): number | undefined {
  let at: number | undefined;
  visit(doc, {
    Alias(_k, node) {
      if (isAlias(node) && node.range) at = node.range[0];
      return visit.BREAK;
    },
  });
  return at;
}
