// Keys written under the repository must be ignored by Git, or a `git add -A` would commit them.
// Lists the target directories inside the repository that .gitignore does not cover.
import { gitFs as fs } from '../util/iso-git.ts';
import path from 'node:path';
import { isoGit } from '../util/iso-git.ts';
import type { ModelObject } from '../model/object.ts';
import type { LifecycleDeps } from './deps.ts';

export async function unignoredTargetDirs(
  deps: Pick<LifecycleDeps, 'repo' | 'deployRoot' | 'model'>,
): Promise<string[]> {
  const out: string[] = [];
  for (const o of deps.model.objects) {
    if (o.kind !== 'Target' || !o.valid) continue;
    const spec = (o as ModelObject<'Target'>).value.spec;
    if (spec.type === 'exec') continue;
    const abs = path.resolve(deps.deployRoot, spec.directory);
    const rel = path.relative(deps.repo, abs);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const probe = path.posix.join(rel.split(path.sep).join('/'), 'certops-probe.key');
    const ignored = await (
      await isoGit()
    )
      .isIgnored({ fs, dir: deps.repo, filepath: probe })
      .catch(() => true);
    if (!ignored) out.push(rel);
  }
  return [...new Set(out)].sort();
}
