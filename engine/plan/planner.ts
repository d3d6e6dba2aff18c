// The pure planner: declared certificates × recorded inventory × observed targets × now →
// changes, each with its reasons and a deterministic operation id. No I/O here.
import { createHash } from 'node:crypto';
import { keyAlgorithmLabel } from '../crypto/keys.ts';
import type { InventoryRecord } from '../state/types.ts';
import { PLAN_CHECKS, type SuggestedWindow } from './checks.ts';
import type { DesiredCertificate, DesiredTarget } from './desired.ts';
import type { Reason, ReasonCode } from './reasons.ts';

export type Action = 'issue' | 'renew' | 'replace' | 'deploy' | 'undeploy' | 'retire';

export interface Change {
  certificate: string;
  action: Action;
  reasons: Reason[];
  /** Targets to deploy to (all desired targets when a new certificate is issued). */
  deploy: DesiredTarget[];
  /** Recorded targets to remove the certificate from. */
  undeploy: { target: string; deployName: string }[];
  /** Deterministic: the same change planned again (after a crash) gets the same id. */
  operationId: string;
  /** Serial being replaced, renewed or retired. */
  previousSerial?: string;
  /** For new certificates: names, key, validity and issuer in one line. */
  summary?: string;
}

export interface PlanInput {
  desired: DesiredCertificate[];
  inventory: ReadonlyMap<string, InventoryRecord>;
  /** certificate name → target name → fingerprint held (undefined: nothing there). */
  observed: ReadonlyMap<string, ReadonlyMap<string, string | undefined>>;
  now: Date;
  /** certificate name → the CA's suggested renewal window for its recorded certificate (ARI). */
  suggested?: ReadonlyMap<string, SuggestedWindow>;
}

export interface Plan {
  planId: string;
  now: string;
  changes: Change[];
  /** Certificates with nothing to do. */
  unchanged: string[];
  /** Things the plan does not do that a reader should know about. */
  notices: string[];
}

const NEW_CERT: ReadonlySet<ReasonCode> = new Set([
  'NotIssued',
  'SpecChanged',
  'KeyPolicyChanged',
  'RenewalWindow',
]);

export function plan(input: PlanInput): Plan {
  const changes: Change[] = [];
  const unchanged: string[] = [];
  const notices: string[] = [];
  const declared = new Set<string>();
  for (const d of input.desired) {
    declared.add(d.name);
    const record = input.inventory.get(d.name);
    if (d.state === 'revoked') {
      // Revocation is not carried out yet: say so rather than retire (which would undeploy it).
      notices.push(
        `${d.name}: state revoked is not carried out by this version; nothing is changed for it`,
      );
      unchanged.push(d.name);
      continue;
    }
    if (d.state !== 'active') {
      if (record?.state === 'active')
        changes.push(retire(record, `state is ${d.state} in certs.d`));
      else unchanged.push(d.name);
      continue;
    }
    const observed = input.observed.get(d.name) ?? new Map<string, string | undefined>();
    const reasons = PLAN_CHECKS.flatMap((check) =>
      check({
        desired: d,
        record,
        observed,
        now: input.now,
        ...(input.suggested?.has(d.name)
          ? { suggested: input.suggested.get(d.name) as SuggestedWindow }
          : {}),
      }),
    );
    if (reasons.length === 0) {
      unchanged.push(d.name);
      continue;
    }
    changes.push(changeFor(d, record, reasons));
  }
  for (const [name, record] of input.inventory) {
    if (!declared.has(name) && record.state === 'active')
      changes.push(retire(record, 'removed from certs.d'));
  }
  changes.sort((a, b) => (a.certificate < b.certificate ? -1 : 1));
  return {
    planId: planIdOf(input),
    now: input.now.toISOString(),
    changes,
    unchanged: unchanged.sort(),
    notices,
  };
}

function changeFor(
  d: DesiredCertificate,
  record: InventoryRecord | undefined,
  reasons: Reason[],
): Change {
  const codes = new Set(reasons.map((r) => r.code));
  const fresh = reasons.some((r) => NEW_CERT.has(r.code));
  const action: Action =
    !record || record.state !== 'active'
      ? 'issue'
      : codes.has('SpecChanged') || codes.has('KeyPolicyChanged')
        ? 'replace'
        : codes.has('RenewalWindow')
          ? 'renew'
          : codes.has('TargetAdded') || codes.has('TargetDrift')
            ? 'deploy'
            : 'undeploy';
  const recorded = new Set(record?.targets.map((t) => t.target) ?? []);
  const deploy = fresh
    ? d.targets
    : d.targets.filter(
        (t) =>
          !recorded.has(t.target) ||
          reasons.some((r) => r.code === 'TargetDrift' && r.message.startsWith(`${t.target} `)),
      );
  const undeploy = (record?.targets ?? [])
    .filter((t) => !d.targets.some((x) => x.target === t.target))
    .map((t) => ({ target: t.target, deployName: t.deployName }));
  const change: Change = {
    certificate: d.name,
    action,
    reasons,
    deploy,
    undeploy,
    operationId: '',
  };
  if (record && record.state === 'active') change.previousSerial = record.serial;
  if (fresh) change.summary = summaryOf(d);
  change.operationId = operationId(
    change,
    d.specHash,
    d.keyPolicyHash,
    record ? `${record.serial}@${record.operation}` : undefined,
  );
  return change;
}

function summaryOf(d: DesiredCertificate): string {
  const names = [...d.dnsNames, ...d.ipAddresses, ...d.emailAddresses, ...d.uris];
  const shown =
    names.length > 3
      ? `${names.slice(0, 3).join(', ')} +${names.length - 3} more`
      : names.join(', ');
  return `${shown} · ${keyAlgorithmLabel(d.key)} · ${Math.round(d.durationMs / 86_400_000)}d · ${d.issuer}`;
}

function retire(record: InventoryRecord, why: string): Change {
  const change: Change = {
    certificate: record.name,
    action: 'retire',
    reasons: [{ code: 'Retired', message: why }],
    deploy: [],
    undeploy: record.targets.map((t) => ({ target: t.target, deployName: t.deployName })),
    operationId: '',
    previousSerial: record.serial,
  };
  change.operationId = operationId(change, '', '', `${record.serial}@${record.operation}`);
  return change;
}

/**
 * `<certificate>-<12 hex>`: readable in the journal, stable across re-plans of the same change
 * (a crash leaves the record as it was), and new once a change is recorded: `recordState` holds
 * the record's serial and the operation that wrote it.
 */
function operationId(c: Change, specHash: string, keyHash: string, recordState = ''): string {
  const basis = [
    c.certificate,
    c.action,
    specHash,
    keyHash,
    recordState,
    c.deploy.map((t) => t.target),
    c.undeploy.map((t) => t.target),
  ];
  return `${c.certificate}-${createHash('sha256').update(JSON.stringify(basis)).digest('hex').slice(0, 12)}`;
}

function planIdOf(input: PlanInput): string {
  const inv = [...input.inventory.values()]
    .map((r) => [r.name, r.serial, r.state, r.targets.map((t) => [t.target, t.fingerprintSha256])])
    .sort();
  const obs = [...input.observed].map(([c, m]) => [c, [...m].sort()]).sort();
  const basis = [
    input.desired.map((d) => [
      d.name,
      d.specHash,
      d.keyPolicyHash,
      d.state,
      d.targets,
      d.renewBeforeMs ?? d.renewBeforePercentage,
    ]),
    inv,
    obs,
    input.now.toISOString(),
  ];
  return createHash('sha256').update(JSON.stringify(basis)).digest('hex').slice(0, 16);
}
