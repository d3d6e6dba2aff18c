// Reads and parses many files. Large repositories are parsed by worker threads (YAML parsing is
// CPU-bound); small ones in this thread, where starting workers would cost more than it saves.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Limits } from './limits.ts';
import { parseYamlFile, type ParsedFile } from './parse-file.ts';

export const WORKER_THRESHOLD = 1500;

export async function readAndParse(
  root: string,
  file: string,
  limits: Limits,
): Promise<ParsedFile> {
  const bytes = await readFile(path.join(root, file));
  return parseYamlFile(file, bytes, limits);
}

export async function parseMany(
  root: string,
  files: readonly string[],
  limits: Limits,
  opts: { workers?: number } = {},
): Promise<ParsedFile[]> {
  const workers =
    opts.workers ?? (files.length >= WORKER_THRESHOLD ? Math.min(availableParallelism(), 4) : 0);
  if (workers <= 1) return inThread(root, files, limits);
  const chunks: string[][] = Array.from({ length: workers }, () => []);
  files.forEach((f, i) => chunks[i % workers]?.push(f));
  const results = await Promise.all(chunks.map((c) => inWorker(root, c, limits)));
  const byFile = new Map<string, ParsedFile>();
  for (const list of results) for (const p of list) byFile.set(p.file, p);
  return files.map((f) => byFile.get(f) as ParsedFile);
}

async function inThread(
  root: string,
  files: readonly string[],
  limits: Limits,
): Promise<ParsedFile[]> {
  const out: ParsedFile[] = new Array<ParsedFile>(files.length);
  let next = 0;
  // A few reads in flight overlap I/O with parsing without opening thousands of files at once.
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      out[i] = await readAndParse(root, files[i] as string, limits);
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  return out;
}

function inWorker(root: string, files: string[], limits: Limits): Promise<ParsedFile[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./parse-worker.js', import.meta.url), {
      workerData: { root, files, limits },
    });
    worker.once('message', (m: ParsedFile[]) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`parse worker exited with code ${code}`));
    });
  });
}
