// isomorphic-git loads on first use: importing it costs about 0.2 s of startup, which verbs
// that never touch Git (validate, policy build and test, conformance) should not pay.
// Contract: resolves to the package's default export, the same object on every call.
import fs from 'node:fs';
import type IsoGitModule from 'isomorphic-git';

type IsoGit = typeof IsoGitModule;

let loading: Promise<IsoGit> | undefined;

export function isoGit(): Promise<IsoGit> {
  return (loading ??= import('isomorphic-git').then((m) => m.default));
}

/** A synchronous fs call as a promise (its error, e.g. ENOENT, becomes the rejection). */
function settled<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => Promise<R> {
  return (...args) => {
    try {
      return Promise.resolve(fn(...args));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  };
}

/**
 * The file system handed to isomorphic-git. Its calls are many and tiny (a state commit makes
 * ~35: stat the git dir, probe, write each loose object, read the ref), so they run
 * synchronously: a local-disk syscall of a few microseconds instead of a round trip through
 * libuv's thread pool (futex hand-off, event-loop wake-up), which under load cost more than the
 * I/O and made concurrent applies CPU-bound. isomorphic-git also probes the fs on every call
 * with an argument-less `readFile()`; that is answered without node's TypeError (a stack
 * capture each time).
 */
export const gitFs = {
  readFile: (...args: Parameters<typeof fs.readFileSync>) =>
    args[0] === undefined ? Promise.resolve(undefined) : settled(fs.readFileSync)(...args),
  writeFile: settled(fs.writeFileSync),
  mkdir: settled(fs.mkdirSync),
  rmdir: settled(fs.rmdirSync),
  rm: settled(fs.rmSync),
  unlink: settled(fs.unlinkSync),
  stat: settled(fs.statSync),
  lstat: settled(fs.lstatSync),
  readdir: settled(fs.readdirSync),
  readlink: settled(fs.readlinkSync),
  symlink: settled(fs.symlinkSync),
  chmod: settled(fs.chmodSync),
};
