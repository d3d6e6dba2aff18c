// Recorded state: the public API of engine/state.
export type * from './types.ts';
export { openGitStateStore } from './git-store.ts';
export type { GitStateStoreOptions } from './git-store.ts';
export { acquireLock } from './lock.ts';
export type { AcquiredLock, AcquireLockOptions } from './lock.ts';
export type { LockInfo } from './lock-info.ts';
export { desiredCommit } from './desired-commit.ts';
export { scanHistoryForKeyMaterial } from './history-scan.ts';
export type { KeyMaterialFinding } from './history-scan.ts';
export { findKeyMaterial } from './key-material.ts';
export {
  KeyMaterialError,
  StateConflictError,
  StateCorruptError,
  StateWriteRefusedError,
} from './errors.ts';
