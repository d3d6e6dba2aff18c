// Where a file-like target puts each file for a deploy name, re-checked at write time.
//
// Validation (validate/checks/paths.ts) already refuses escaping paths in the repository, but the
// `{name}` substitution happens here, so the final paths are checked again: a relative directory
// must stay inside the deploy root, and every file must stay inside its directory. Checks are
// lexical: symlinks the host operator placed inside the deploy root are theirs to decide, while
// everything written in the repository is held to the rules above. (Absolute directories were
// checked against targets.allowedRoots at validation; the context does not carry that list.)
import path from 'node:path';
import { CertopsError, ExternalError } from '../../errors.ts';
import type { Files } from '../../model/types.generated.ts';
import type { DeployBundle, TargetContext } from '../types.ts';

export type FileKind = 'cert' | 'key' | 'chain' | 'fullchain' | 'pkcs12';
export const FILE_KINDS: readonly FileKind[] = ['cert', 'key', 'chain', 'fullchain', 'pkcs12'];

/** Absolute directory and absolute path per file kind, for one deploy name. */
export interface FileLayout {
  dir: string;
  files: Partial<Record<FileKind, string>>;
}

/** The part of a target spec that places files. */
export interface FilePlacement {
  directory: string;
  files?: Files;
}

const HINT = 'Use a path without ".." that stays inside the deploy root and the target directory.';

/** True when `child` is `parent` or below it (both absolute, normalized). */
function within(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The absolute directory of a target (`directory` as its spec writes it): a relative one resolves
 * against the deploy root and must stay inside it. Also used by solvers that write into a
 * Target's directory (the nginx-managed ACME http-01 snippet).
 */
export function resolveDirectory(
  ctx: Pick<TargetContext, 'name' | 'deployRoot'>,
  directory: string,
): string {
  if (!path.isAbsolute(ctx.deployRoot)) {
    throw new CertopsError('INTERNAL', `deploy root ${ctx.deployRoot} is not absolute`);
  }
  const root = path.resolve(ctx.deployRoot);
  const dir = path.resolve(root, directory);
  if (directory.includes('\0') || (!path.isAbsolute(directory) && !within(root, dir))) {
    throw new ExternalError(
      `target ${ctx.name}: directory "${directory}" leaves the deploy root ${root}`,
      { hint: HINT },
    );
  }
  return dir;
}

/** Resolves the files of `placement` for deploy name `name`; `defaults` applies when files is absent. */
export function resolveLayout(
  ctx: TargetContext,
  placement: FilePlacement,
  name: string,
  defaults: Files,
): FileLayout {
  const dir = resolveDirectory(ctx, placement.directory);
  const files: FileLayout['files'] = {};
  for (const kind of FILE_KINDS) {
    const pattern = (placement.files ?? defaults)[kind];
    if (pattern === undefined) continue;
    const fileName = pattern.replaceAll('{name}', name);
    const full = path.resolve(dir, fileName);
    if (
      fileName.includes('\0') ||
      path.isAbsolute(fileName) ||
      full === dir ||
      !within(dir, full)
    ) {
      throw new ExternalError(
        `target ${ctx.name}: file "${fileName}" (${kind}) leaves the directory ${dir}`,
        { hint: HINT },
      );
    }
    files[kind] = full;
  }
  return { dir, files };
}

/** The text deploy writes for one PEM file kind (pkcs12 is encoded: see contents.ts). */
export function contentFor(kind: Exclude<FileKind, 'pkcs12'>, bundle: DeployBundle): string {
  switch (kind) {
    case 'cert':
      return bundle.certificatePem;
    case 'key':
      return bundle.privateKeyPem;
    case 'chain':
      return bundle.chainPem;
    case 'fullchain':
      return bundle.fullchainPem;
  }
}

/** Parses an octal file mode as the schema writes it ('0644' or '644'). */
export function parseFileMode(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^0?[0-7]{3}$/.test(text)) {
    throw new ExternalError(`file mode "${text}" is not an octal mode such as 0644`);
  }
  return parseInt(text, 8);
}
