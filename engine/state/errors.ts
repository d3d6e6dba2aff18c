// Errors raised by the state store. They extend the taxonomy in ../errors.ts without adding codes:
// a moved branch or a damaged state file is an external condition (exit 1, re-reading may help);
// refusing a write is a bug in the caller (INTERNAL), never something to retry.
import { CertopsError, ExternalError } from '../errors.ts';

/** The state branch moved since the caller's expectedHead (or another writer holds its ref lock). */
export class StateConflictError extends ExternalError {
  readonly expected: string;
  readonly actual: string;
  constructor(branch: string, expected: string, actual: string, detail?: string) {
    const show = (sha: string) => (sha === '' ? '(no commit)' : sha.slice(0, 12));
    super(
      detail ?? `state branch ${branch} moved: expected ${show(expected)}, found ${show(actual)}`,
      { hint: 'Another writer changed the recorded state; read it again and retry the step.' },
    );
    this.expected = expected;
    this.actual = actual;
  }
}

/** A file on the state branch is not what certops writes there. Names the path on the branch. */
export class StateCorruptError extends ExternalError {
  readonly path: string;
  constructor(branch: string, path: string, problem: string, cause?: unknown) {
    super(`corrupt state file ${branch}:${path}: ${problem}`, {
      hint: `Inspect it with \`git show ${branch}:${path}\`; fix or revert the commit that wrote it.`,
      cause,
    });
    this.path = path;
  }
}

/** A write was refused before anything reached the repository (bad name, shape, or key). */
export class StateWriteRefusedError extends CertopsError {
  constructor(message: string, hint?: string) {
    super('INTERNAL', message, hint === undefined ? {} : { hint });
  }
}

/** Content to be committed contains private-key material. Nothing was written. */
export class KeyMaterialError extends StateWriteRefusedError {
  readonly where: string;
  constructor(where: string, kind: string) {
    super(
      `refusing to write ${where} to Git: it contains private-key material (${kind})`,
      'Private keys never enter Git; keep them in the key store or on the target only.',
    );
    this.where = where;
  }
}
