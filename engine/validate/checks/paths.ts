// Paths that targets and solvers write to stay inside their allowed root: relative paths may not
// climb out of the deploy root, absolute paths must lie under certops.yaml targets.allowedRoots,
// and file names may not climb out of their target's directory.
import path from 'node:path';
import type { PathSegment } from '../../loader/positions.ts';
import type { ModelObject } from '../../model/object.ts';
import type { Check, ObjectFinding } from '../check.ts';
import { validOf } from '../check.ts';

export type PathVerdict = { ok: true } | { ok: false; reason: string; hint: string };

/** Judges a directory a target or solver writes to. */
export function judgeDirectory(dir: string, allowedRoots: readonly string[]): PathVerdict {
  if (dir.includes('\0'))
    return { ok: false, reason: 'contains a NUL character', hint: 'Remove it.' };
  const norm = path.posix.normalize(dir);
  if (path.posix.isAbsolute(norm)) {
    const inside = allowedRoots.some((r) => {
      const root = path.posix.normalize(r).replace(/\/+$/, '');
      return norm === root || norm.startsWith(`${root}/`);
    });
    if (inside) return { ok: true };
    return {
      ok: false,
      reason: allowedRoots.length
        ? `"${dir}" is outside the allowed roots (${allowedRoots.join(', ')})`
        : `"${dir}" is absolute, and certops.yaml allows no absolute target roots`,
      hint: 'Use a path under spec.targets.allowedRoots in certops.yaml (the platform team owns that list), or a relative path.',
    };
  }
  if (norm === '..' || norm.startsWith('../')) {
    return {
      ok: false,
      reason: `"${dir}" leaves the deploy root`,
      hint: 'Remove the ".." segments.',
    };
  }
  return { ok: true };
}

/** Judges a file name inside a target directory. */
export function judgeFileName(name: string): PathVerdict {
  const norm = path.posix.normalize(name);
  if (
    name.includes('\0') ||
    path.posix.isAbsolute(norm) ||
    norm === '..' ||
    norm.startsWith('../')
  ) {
    return {
      ok: false,
      reason: `"${name}" leaves the target directory`,
      hint: 'Use a file name relative to the directory, without "..".',
    };
  }
  return { ok: true };
}

export const targetPaths: Check = (ctx) => {
  const roots = ctx.model.settings.targets?.allowedRoots ?? [];
  const out: ObjectFinding[] = [];
  const judge = (o: ModelObject, p: PathSegment[], v: PathVerdict): void => {
    if (!v.ok)
      out.push({ object: o, code: 'path-escape', path: p, message: v.reason, hint: v.hint });
  };
  for (const o of validOf(ctx, 'Target')) {
    const spec = o.value.spec;
    if (spec.type === 'exec') continue;
    judge(o, ['spec', 'directory'], judgeDirectory(spec.directory, roots));
    if (spec.type !== 'haproxy') {
      for (const [k, f] of Object.entries(spec.files ?? {})) {
        if (typeof f === 'string') judge(o, ['spec', 'files', k], judgeFileName(f));
      }
    }
  }
  for (const o of validOf(ctx, 'Issuer')) {
    const spec = o.value.spec;
    if (spec.type !== 'acme') continue;
    spec.solvers?.forEach((s, i) => {
      if (s.http01?.webroot)
        judge(
          o,
          ['spec', 'solvers', i, 'http01', 'webroot'],
          judgeDirectory(s.http01.webroot, roots),
        );
    });
  }
  return out;
};
