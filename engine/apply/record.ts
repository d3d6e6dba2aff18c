// Builds the inventory record written when an operation completes. Public material only.
import { keyAlgorithmLabel as keyLabel } from '../crypto/keys.ts';
import type { DesiredCertificate } from '../plan/desired.ts';
import type { InventoryRecord, TargetRecord } from '../state/types.ts';
import type { LifecycleDeps } from './deps.ts';
import type { Material } from './material.ts';

export function newRecord(
  deps: LifecycleDeps,
  d: DesiredCertificate,
  m: Material,
  targets: TargetRecord[],
  previous: InventoryRecord | undefined,
  operationId: string,
): InventoryRecord {
  const now = deps.clock.now().toISOString();
  const history = previous?.previous ?? [];
  const superseded =
    previous && previous.serial !== m.issued.serial && previous.state === 'active'
      ? [{ serial: previous.serial, notAfter: previous.notAfter, retiredAt: now }, ...history]
      : history;
  return {
    name: d.name,
    state: 'active',
    issuer: d.issuer,
    issuerDn: m.issued.issuerDn,
    serial: m.issued.serial,
    fingerprintSha256: m.issued.fingerprintSha256,
    notBefore: m.issued.notBefore,
    notAfter: m.issued.notAfter,
    dnsNames: d.dnsNames,
    ipAddresses: d.ipAddresses,
    keyAlgorithm: keyLabel(d.key),
    specHash: m.fresh ? d.specHash : (previous?.specHash ?? d.specHash),
    keyPolicyHash: m.fresh ? d.keyPolicyHash : (previous?.keyPolicyHash ?? d.keyPolicyHash),
    certificatePem: m.issued.certificatePem.trim() + '\n',
    chainPem: m.issued.chainPem.trim() ? m.issued.chainPem.trim() + '\n' : '',
    targets: [...targets].sort((a, b) => (a.target < b.target ? -1 : 1)),
    desiredCommit: deps.desiredCommit,
    operation: operationId,
    updatedAt: now,
    previous: superseded.slice(0, 20),
  };
}
