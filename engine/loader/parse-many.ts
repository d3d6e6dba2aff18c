// Reads and parses many files, in order. Synchronous reads: files are small (capped by
// limits.maxFileBytes), and a synchronous read costs a fraction of an asynchronous one's
// thread-pool round trip. (Worker threads were measured and dropped once the fast YAML path
// made parsing cheaper than handing results between threads; see docs/performance.md.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Limits } from './limits.ts';
import { parseYamlFile, type ParsedFile } from './parse-file.ts';

export function readAndParse(root: string, file: string, limits: Limits): ParsedFile {
  return parseYamlFile(file, readFileSync(path.join(root, file)), limits);
}

export function parseMany(root: string, files: readonly string[], limits: Limits): ParsedFile[] {
  return files.map((f) => readAndParse(root, f, limits));
}
