// Runs one planned change as a journaled operation. Order for a new certificate: issue → deploy
// → verify on every target → record → retire the old serial. Resumable: steps already journaled
// are not repeated, and issuance is idempotent per operation id.
import type { Change } from '../plan/planner.ts';
import type { DesiredCertificate } from '../plan/desired.ts';
import type { InventoryRecord, TargetRecord } from '../state/types.ts';
import type { DeployBundle } from '../targets/types.ts';
import { issuerFor, targetFor } from './context.ts';
import { exclusive, type LifecycleDeps } from './deps.ts';
import type { Journal } from './journal.ts';
import {
  bundleFor,
  existingMaterial,
  forgetPendingKey,
  issueFresh,
  type Material,
} from './material.ts';
import { newRecord } from './record.ts';

export interface Outcome {
  change: Change;
  /** deferred: backing off after failed issuances; not run (see backoff.ts). */
  status: 'done' | 'failed' | 'deferred';
  errors: string[];
  /** For deferred: when the next attempt may run. */
  retryAt?: string;
}

export async function runOperation(
  deps: LifecycleDeps,
  change: Change,
  desired: DesiredCertificate | undefined,
  record: InventoryRecord | undefined,
  journal: Journal,
): Promise<Outcome> {
  const errors: string[] = [];
  if (!journal.has('started'))
    await journal.append('started', {
      detail: { reasons: change.reasons.map((r) => `${r.code}: ${r.message}`).join('; ') },
    });

  const removed = await undeploy(deps, change, journal, errors);
  if (change.action === 'retire' || !desired) {
    if (errors.length) return { change, status: 'failed', errors };
    const retired: InventoryRecord | null = record
      ? {
          ...record,
          state: 'retired',
          targets: [],
          updatedAt: deps.clock.now().toISOString(),
          operation: journal.op.id,
        }
      : null;
    await journal.append('recorded', { inventory: { [change.certificate]: retired }, close: true });
    if (record) await retireSerial(deps, record, 'cessationOfOperation');
    return { change, status: 'done', errors };
  }

  if (change.action === 'undeploy' && record) {
    if (errors.length) return { change, status: 'failed', errors };
    const kept = {
      ...record,
      targets: record.targets.filter((t) => !removed.has(t.target)),
      updatedAt: deps.clock.now().toISOString(),
      operation: journal.op.id,
    };
    await journal.append('recorded', { inventory: { [change.certificate]: kept }, close: true });
    return { change, status: 'done', errors };
  }

  let material: Material | undefined;
  let deployTo = change.deploy;
  if (change.action === 'deploy' && record)
    material = await existingMaterial(deps, desired, record);
  if (!material) {
    // The certificate this one succeeds (a CA that offers renewal information is told, so it
    // can relax limits for it).
    const replaces =
      record?.state === 'active' && record.issuer === desired.issuer
        ? record.certificatePem
        : undefined;
    material = await issueFresh(deps, desired, journal, replaces);
    if (change.action === 'deploy') deployTo = desired.targets; // no key to reuse: a new certificate goes everywhere
  }

  const deployed: TargetRecord[] = [];
  for (const t of deployTo) {
    const ok = await deployOne(deps, journal, material, desired, t.target, t.deployName, errors);
    if (ok) deployed.push(ok);
  }
  if (errors.length) return { change, status: 'failed', errors };

  const targets = material.fresh
    ? deployed
    : [
        ...(record?.targets ?? []).filter(
          (t) => !removed.has(t.target) && !deployed.some((d) => d.target === t.target),
        ),
        ...deployed,
      ];
  const inventory = newRecord(deps, desired, material, targets, record, journal.op.id);
  await journal.append('recorded', {
    inventory: { [desired.name]: inventory },
    detail: { serial: inventory.serial },
    close: true,
  });
  if (material.fresh) {
    await forgetPendingKey(deps, desired, journal.op.id, material.keyPem);
    if (record && record.serial !== inventory.serial && record.state === 'active')
      await retireSerial(deps, record, 'superseded');
  }
  return { change, status: 'done', errors };
}

async function deployOne(
  deps: LifecycleDeps,
  journal: Journal,
  material: Material,
  desired: DesiredCertificate,
  targetName: string,
  deployName: string,
  errors: string[],
): Promise<TargetRecord | undefined> {
  const bundle = bundleFor(material, desired, deployName);
  const done = (): TargetRecord => ({
    target: targetName,
    deployName,
    fingerprintSha256: bundle.fingerprintSha256,
    deployedAt: journal.last('deployed', targetName)?.at ?? deps.clock.now().toISOString(),
    verifiedAt: journal.last('verified', targetName)?.at ?? deps.clock.now().toISOString(),
  });
  const verifiedFor = journal.last('verified', targetName)?.detail?.fingerprint;
  if (verifiedFor === bundle.fingerprintSha256) return done();
  return exclusive(deps, `target:${targetName}`, () =>
    deployLocked(deps, journal, bundle, targetName, errors, done),
  );
}

/** Deploys and verifies one bundle on one target, holding the target's lock. */
async function deployLocked(
  deps: LifecycleDeps,
  journal: Journal,
  bundle: DeployBundle,
  targetName: string,
  errors: string[],
  done: () => TargetRecord,
): Promise<TargetRecord | undefined> {
  const detail = { serial: bundle.serial, fingerprint: bundle.fingerprintSha256 };
  const target = targetFor(deps, targetName);
  if (!target) {
    errors.push(`Target "${targetName}" is not declared`);
    return undefined;
  }
  const { provider, ctx } = target;
  const deployedFor = journal.last('deployed', targetName)?.detail?.fingerprint;
  try {
    if (deployedFor !== bundle.fingerprintSha256) {
      await journal.append('deploying', { target: targetName, detail });
      await provider.deploy(ctx, bundle); // leaves the previous version in place when it throws
      await journal.append('deployed', { target: targetName, detail });
    }
    try {
      await provider.verify(ctx, bundle);
    } catch (e) {
      const restored = await provider.rollback(ctx, bundle).catch(() => false);
      if (restored) await journal.append('rolled-back', { target: targetName, detail });
      throw e;
    }
    await journal.append('verified', { target: targetName, detail });
    return done();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    errors.push(`${targetName}: ${message}`);
    await journal.append('deploy-failed', {
      target: targetName,
      detail: { ...detail, error: message.slice(0, 2000) },
    });
    return undefined;
  }
}

async function undeploy(
  deps: LifecycleDeps,
  change: Change,
  journal: Journal,
  errors: string[],
): Promise<Set<string>> {
  const removed = new Set<string>();
  for (const t of change.undeploy) {
    if (journal.has('removed', t.target)) {
      removed.add(t.target);
      continue;
    }
    const target = targetFor(deps, t.target);
    try {
      if (target)
        await exclusive(deps, `target:${t.target}`, () =>
          target.provider.remove(target.ctx, t.deployName),
        );
      await journal.append('removed', {
        target: t.target,
        ...(target ? {} : { detail: { note: 'target no longer declared; nothing removed' } }),
      });
      removed.add(t.target);
    } catch (e) {
      errors.push(`${t.target}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return removed;
}

/** Tells the issuer a serial is no longer used; best effort (the record is already written). */
async function retireSerial(
  deps: LifecycleDeps,
  record: InventoryRecord,
  reason: 'superseded' | 'cessationOfOperation',
): Promise<void> {
  try {
    const { provider, ctx } = issuerFor(deps, record.issuer);
    await provider.retire?.(ctx, record.serial, reason);
  } catch {
    // The issuer may be gone from certs.d; nothing to tell it.
  }
}
