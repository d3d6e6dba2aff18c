// isomorphic-git loads on first use: importing it costs about 0.2 s of startup, which verbs
// that never touch Git (validate, policy build and test, conformance) should not pay.
// Contract: resolves to the package's default export, the same object on every call.
import type IsoGitModule from 'isomorphic-git';

type IsoGit = typeof IsoGitModule;

let loading: Promise<IsoGit> | undefined;

export function isoGit(): Promise<IsoGit> {
  return (loading ??= import('isomorphic-git').then((m) => m.default));
}
