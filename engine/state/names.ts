// Names that become paths on the state branch. Certificate names and operation ids are checked
// against one strict pattern so no value can add a directory, a dot-file or a ".." to the tree.
import { StateWriteRefusedError } from './errors.ts';

export const SAFE_NAME = /^[a-z0-9][a-z0-9._-]*$/;
const MAX_NAME = 200;

export function isSafeName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= MAX_NAME && SAFE_NAME.test(name);
}

export function assertSafeName(what: string, name: unknown): string {
  if (!isSafeName(name)) {
    throw new StateWriteRefusedError(
      `${what} ${JSON.stringify(name)} cannot be used as a file name on the state branch`,
      `Use lower-case letters, digits, '.', '_' and '-' (starting with a letter or digit, at most ${MAX_NAME}).`,
    );
  }
  return name;
}

// A conservative subset of git-check-ref-format: slash-separated segments of safe characters,
// no segment starting with '.' or ending with '.lock', no '..'.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export function assertBranchName(branch: string): string {
  const ok =
    branch.length > 0 &&
    !branch.includes('..') &&
    branch.split('/').every((s) => SEGMENT.test(s) && !s.endsWith('.lock') && !s.endsWith('.'));
  if (!ok) {
    throw new StateWriteRefusedError(
      `state branch name ${JSON.stringify(branch)} is not a valid branch name`,
      'Use a name such as certops/state.',
    );
  }
  return branch;
}
