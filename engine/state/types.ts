// Recorded state: inventory records and the operation journal, kept as commits on a dedicated
// branch (default certops/state) of the repository. No key material ever enters a commit.

/** One certificate as certops last issued and deployed it. */
export interface InventoryRecord {
  name: string;
  state: 'active' | 'retired' | 'revoked';
  issuer: string;
  issuerDn: string;
  serial: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  dnsNames: string[];
  ipAddresses: string[];
  /** e.g. ECDSA-P256, RSA-3072, Ed25519. */
  keyAlgorithm: string;
  /** Hash of the desired spec fields that define the certificate (see plan/spec-hash.ts). */
  specHash: string;
  keyPolicyHash: string;
  /** Public certificate and intermediates, PEM. */
  certificatePem: string;
  chainPem: string;
  targets: TargetRecord[];
  /** Commit of the desired state (main) this record was applied from ('' when not committed). */
  desiredCommit: string;
  /** Operation that produced this record. */
  operation: string;
  updatedAt: string;
  /** Earlier serials of this certificate, newest first (at most 20). */
  previous: { serial: string; notAfter: string; retiredAt: string }[];
}

export interface TargetRecord {
  target: string;
  deployName: string;
  fingerprintSha256: string;
  deployedAt: string;
  verifiedAt?: string;
}

export type JournalStep =
  | 'started'
  | 'key-ready'
  | 'ordered'
  | 'issue-failed'
  | 'issued'
  | 'deploying'
  | 'deployed'
  | 'verified'
  | 'deploy-failed'
  | 'rolled-back'
  | 'removed'
  | 'recorded'
  | 'failed'
  | 'abandoned';

export interface JournalEvent {
  step: JournalStep;
  at: string;
  target?: string;
  /** Step details: serial, fingerprint, error message. Never key material. */
  detail?: Record<string, string>;
}

/** One lifecycle operation with its append-only list of events. */
export interface Operation {
  id: string;
  certificate: string;
  action: string;
  reasons: string[];
  desiredCommit: string;
  events: JournalEvent[];
  /** True once 'recorded', 'failed' or 'abandoned' is appended. */
  closed: boolean;
}

export interface StateCommit {
  sha: string;
  message: string;
  trailers: Record<string, string>;
  time: string;
}

export interface StateSnapshot {
  inventory: Map<string, InventoryRecord>;
  /** Operations not yet closed. */
  open: Operation[];
  /** Commit the snapshot was read from ('' for an empty state branch). */
  head: string;
}

export interface StateStore {
  read(): Promise<StateSnapshot>;
  /** All operations, open and closed (for status and audit). */
  operations(): Promise<Operation[]>;
  /**
   * Writes one commit on the state branch: inventory upserts (null deletes), operation upserts,
   * a message and trailers. Fails with a conflict error if the branch moved since `expectedHead`.
   * Returns the new commit id.
   */
  commit(change: {
    expectedHead: string;
    inventory?: Record<string, InventoryRecord | null>;
    operations?: Operation[];
    message: string;
    trailers: Record<string, string>;
  }): Promise<string>;
  /**
   * Writes `changes` as consecutive commits on `expectedHead` (one per change, in order) and
   * moves the branch once, to the last. A change the store refuses gets its error in the result
   * and is left out of the chain; the others are written. Fails as a whole, with nothing
   * moved, when the branch moved since `expectedHead`.
   */
  commitChain(
    expectedHead: string,
    changes: readonly Omit<Parameters<StateStore['commit']>[0], 'expectedHead'>[],
  ): Promise<ChainResult[]>;
  log(limit?: number): Promise<StateCommit[]>;
}

/** One change of a chain: the commit it became, or why it was refused. */
export type ChainResult = { sha: string } | { error: Error };
