import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { desiredCommit } from './desired-commit.ts';
import type { TestRepo } from './testing.ts';
import { makeRepo } from './testing.ts';

let repo: TestRepo;
beforeEach(async () => {
  repo = await makeRepo();
});
afterEach(() => repo.cleanup());

describe('desiredCommit', () => {
  it('is empty before the first commit, then HEAD of the current branch', async () => {
    expect(await desiredCommit(repo.dir)).toBe('');
    repo.git('commit', '-q', '--allow-empty', '-m', 'one');
    expect(await desiredCommit(repo.dir)).toBe(repo.git('rev-parse', 'HEAD').trim());
    repo.git('checkout', '-q', '-b', 'feature');
    repo.git('commit', '-q', '--allow-empty', '-m', 'two');
    expect(await desiredCommit(repo.dir)).toBe(repo.git('rev-parse', 'feature').trim());
  });

  it('reports a missing repository', async () => {
    await repo.cleanup();
    await expect(desiredCommit(repo.dir)).rejects.toBeInstanceOf(UsageError);
  });
});
