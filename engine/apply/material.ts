// The certificate and key an operation deploys: newly issued (idempotently, per operation id), or
// the recorded certificate with its key read back from a target that still holds it.
import { fingerprintSha256 } from '../crypto/x509.ts';
import type { KeyPair } from '../crypto/types.ts';
import type { IssuedCertificate } from '../issuers/types.ts';
import type { DesiredCertificate } from '../plan/desired.ts';
import type { InventoryRecord } from '../state/types.ts';
import type { DeployBundle } from '../targets/types.ts';
import { ExternalError } from '../errors.ts';
import { nextAttempt } from './backoff.ts';
import { issuerFor, targetFor } from './context.ts';
import { exclusive, type LifecycleDeps } from './deps.ts';
import type { Journal } from './journal.ts';

export interface Material {
  issued: IssuedCertificate;
  keyPem: string;
  /** True when a certificate was issued by this operation. */
  fresh: boolean;
}

const pendingId = (opId: string): string => `pending-${opId}`;
export const reuseId = (d: DesiredCertificate): string => `reuse-${d.name}-${d.keyPolicyHash}`;

/** Key for a new certificate: the reusable one, the one this operation already made, or a new one. */
async function keyFor(
  deps: LifecycleDeps,
  d: DesiredCertificate,
  journal: Journal,
): Promise<{ key: KeyPair; pem: string }> {
  const stored =
    (d.rotation === 'reuse' ? await deps.leafKeys.get(reuseId(d)) : undefined) ??
    (await deps.leafKeys.get(pendingId(journal.op.id)));
  if (stored) return { key: await deps.keyCodec.importPem(stored), pem: stored };
  const key = await deps.keys.generate(d.key);
  const pem = await deps.keyCodec.exportPem(key.privateKey);
  await deps.leafKeys.put(pendingId(journal.op.id), pem); // outside the repository, mode 0600
  await journal.append('key-ready', {
    detail: { algorithm: `${d.key.algorithm}${d.key.size ? `-${d.key.size}` : ''}` },
  });
  return { key, pem };
}

export async function issueFresh(
  deps: LifecycleDeps,
  d: DesiredCertificate,
  journal: Journal,
  replaces?: string,
): Promise<Material> {
  const { key, pem } = await keyFor(deps, d, journal);
  const { provider, ctx } = issuerFor(deps, d.issuer);
  const now = deps.clock.now();
  const ask = (): ReturnType<typeof provider.issue> =>
    provider.issue(ctx, {
      operationId: journal.op.id,
      certificate: d.name,
      ...(d.commonName ? { commonName: d.commonName } : {}),
      ...(d.subject ? { subject: d.subject } : {}),
      dnsNames: d.dnsNames,
      ipAddresses: d.ipAddresses,
      emailAddresses: d.emailAddresses,
      uris: d.uris,
      keyUsages: d.keyUsages,
      extendedKeyUsages: d.extendedKeyUsages,
      notBefore: new Date(now.getTime() - 60_000), // a minute of clock-skew tolerance
      notAfter: new Date(now.getTime() + d.durationMs),
      key,
      ...(replaces ? { replaces } : {}),
      ...(d.acmeProfile ? { acmeProfile: d.acmeProfile } : {}),
      progress: async (step, detail) => {
        if (!journal.has(step)) await journal.append(step, { detail });
      },
    });
  let issued: IssuedCertificate;
  try {
    issued = provider.parallel ? await ask() : await exclusive(deps, `issuer:${d.issuer}`, ask);
  } catch (e) {
    // The CA or the network failed: journal it, so the certificate backs off (backoff.ts).
    if (e instanceof ExternalError)
      await journal.append('issue-failed', {
        detail: nextAttempt(journal.op, deps.clock.now(), e.message, e.retryAt),
      });
    throw e;
  }
  if (!journal.has('issued')) {
    await journal.append('issued', {
      detail: {
        serial: issued.serial,
        fingerprint: issued.fingerprintSha256,
        notAfter: issued.notAfter,
      },
    });
  }
  return { issued, keyPem: pem, fresh: true };
}

/** The recorded certificate with its key, read back from a target that still holds exactly it. */
export async function existingMaterial(
  deps: LifecycleDeps,
  d: DesiredCertificate,
  record: InventoryRecord,
): Promise<Material | undefined> {
  let keyPem: string | undefined;
  for (const t of record.targets) {
    const target = targetFor(deps, t.target);
    if (!target?.provider.readBack) continue;
    const back = await target.provider.readBack(target.ctx, t.deployName).catch(() => undefined);
    if (back && fingerprintOf(back.certificatePem) === record.fingerprintSha256) {
      keyPem = back.privateKeyPem;
      break;
    }
  }
  keyPem ??= d.rotation === 'reuse' ? await deps.leafKeys.get(reuseId(d)) : undefined;
  if (!keyPem) return undefined;
  const { certificatePem, chainPem, serial, fingerprintSha256, notBefore, notAfter, issuerDn } =
    record;
  return {
    issued: { certificatePem, chainPem, serial, fingerprintSha256, notBefore, notAfter, issuerDn },
    keyPem,
    fresh: false,
  };
}

export function bundleFor(m: Material, d: DesiredCertificate, deployName: string): DeployBundle {
  const cert = m.issued.certificatePem.trim() + '\n';
  const chain = m.issued.chainPem.trim() ? m.issued.chainPem.trim() + '\n' : '';
  return {
    name: deployName,
    certificatePem: cert,
    chainPem: chain,
    fullchainPem: cert + chain,
    privateKeyPem: m.keyPem,
    serial: m.issued.serial,
    fingerprintSha256: m.issued.fingerprintSha256,
    notAfter: m.issued.notAfter,
    dnsNames: d.dnsNames,
  };
}

export async function forgetPendingKey(
  deps: LifecycleDeps,
  d: DesiredCertificate,
  opId: string,
  keyPem: string,
): Promise<void> {
  if (d.rotation === 'reuse') await deps.leafKeys.put(reuseId(d), keyPem);
  await deps.leafKeys.delete(pendingId(opId));
}

function fingerprintOf(pem: string): string | undefined {
  try {
    return fingerprintSha256(pem);
  } catch {
    return undefined; // unreadable file content: that target cannot give the key back
  }
}
