// Everything the applier touches in the world, injected: state store, providers, keys, clock.
import type { Clock } from '../clock.ts';
import type { KeyFactory, KeyPair } from '../crypto/types.ts';
import type { IssuerProvider } from '../issuers/types.ts';
import type { Model } from '../model/object.ts';
import type { StateStore } from '../state/types.ts';
import type { CommandRunner, TargetContext, TargetProvider, TlsProbe } from '../targets/types.ts';
import type { KeyedMutex } from '../util/concurrency.ts';

/** Where leaf keys wait outside the repository (pending operations, rotation `reuse`). */
export interface LeafKeyStore {
  get(id: string): Promise<string | undefined>;
  put(id: string, pem: string): Promise<void>;
  delete(id: string): Promise<void>;
  list(prefix?: string): Promise<string[]>;
}

export interface KeyCodec {
  exportPem(key: KeyPair['privateKey']): Promise<string>;
  importPem(pem: string): Promise<KeyPair>;
}

export interface ApplyEvent {
  certificate: string;
  operationId: string;
  step: string;
  target?: string;
  message?: string;
}

export interface LifecycleDeps {
  /** Repository root (its .git holds the state branch and the lock). */
  repo: string;
  model: Model;
  store: StateStore;
  issuers: Readonly<Record<string, IssuerProvider | undefined>>;
  targets: Readonly<Record<string, TargetProvider | undefined>>;
  keys: KeyFactory;
  keyCodec: KeyCodec;
  leafKeys: LeafKeyStore;
  /** $CERTOPS_HOME. */
  home: string;
  /** Relative target directories resolve against this. */
  deployRoot: string;
  runner: CommandRunner;
  tls: TlsProbe;
  clock: Clock;
  /** Commit of the desired state being applied ('' when not committed). */
  desiredCommit: string;
  /** Resolves secret references (e.g. a PKCS#12 password) for targets. */
  secrets?: TargetContext['secrets'];
  /** Takes the apply lock (throws LockHeldError when another apply holds it). */
  lock(): Promise<{ release(): Promise<void> }>;
  /** Progress and results, for the CLI to print. */
  onEvent?: (e: ApplyEvent) => void;
  /**
   * Called after every journal commit with the step just recorded. Fault-injection tests use it
   * to kill the process at each step; production passes nothing.
   */
  afterJournal?: (step: string, operationId: string) => void;
  /**
   * Set by apply when operations run concurrently: work on one target (deploy, verify,
   * rollback, remove), and issuance from an issuer that is not `parallel`, holds the key's lock.
   */
  locks?: KeyedMutex;
}

/** Runs `fn` holding the lock for `key` when operations run concurrently. */
export function exclusive<T>(deps: LifecycleDeps, key: string, fn: () => Promise<T>): Promise<T> {
  return deps.locks ? deps.locks.run(key, fn) : fn();
}
