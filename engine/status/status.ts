// `certops status`: the health of every declared or recorded certificate, from the desired state,
// the recorded inventory and the journal. Pure.
import { renewalStart } from '../plan/checks.ts';
import { deferral } from '../apply/backoff.ts';
import type { DesiredCertificate } from '../plan/desired.ts';
import type { InventoryRecord, Operation } from '../state/types.ts';

export type Health = 'Healthy' | 'Progressing' | 'Degraded' | 'Expired';

export interface CertificateStatus {
  name: string;
  health: Health;
  /** Why the health is what it is, in a few words. */
  detail: string;
  serial?: string;
  notAfter?: string;
  daysLeft?: number;
  targets: { target: string; verifiedAt?: string; deployed: boolean }[];
  lastOperation?: { id: string; action: string; step: string; at: string; open: boolean };
}

const DAY = 86_400_000;

export function certificateStatus(
  desired: readonly DesiredCertificate[],
  inventory: ReadonlyMap<string, InventoryRecord>,
  operations: readonly Operation[],
  now: Date,
): CertificateStatus[] {
  const names = new Set([
    ...desired.filter((d) => d.state === 'active').map((d) => d.name),
    ...[...inventory.values()].filter((r) => r.state === 'active').map((r) => r.name),
  ]);
  const out: CertificateStatus[] = [];
  for (const name of [...names].sort()) {
    const d = desired.find((x) => x.name === name && x.state === 'active');
    const r = inventory.get(name);
    const ops = operations.filter((o) => o.certificate === name);
    const last = ops.sort((a, b) => (lastAt(a) < lastAt(b) ? -1 : 1)).at(-1);
    const s: CertificateStatus = { name, ...healthOf(d, r, last, now), targets: targetsOf(d, r) };
    if (r) {
      s.serial = r.serial;
      s.notAfter = r.notAfter;
      s.daysLeft = Math.floor((Date.parse(r.notAfter) - now.getTime()) / DAY);
    }
    if (last) {
      const ev = last.events.at(-1);
      s.lastOperation = {
        id: last.id,
        action: last.action,
        step: ev?.step ?? 'started',
        at: ev?.at ?? '',
        open: !last.closed,
      };
    }
    out.push(s);
  }
  return out;
}

const lastAt = (o: Operation): string => o.events.at(-1)?.at ?? '';

function healthOf(
  d: DesiredCertificate | undefined,
  r: InventoryRecord | undefined,
  last: Operation | undefined,
  now: Date,
): { health: Health; detail: string } {
  const failed = last && !last.closed && last.events.some((e) => e.step === 'deploy-failed');
  if (r && r.state === 'active' && Date.parse(r.notAfter) <= now.getTime())
    return { health: 'Expired', detail: `expired ${r.notAfter.slice(0, 10)}` };
  const backoff = last && !last.closed ? deferral(last, new Date(0)) : undefined;
  if (backoff) {
    const when = Date.parse(backoff.retryAt) > now.getTime() ? backoff.retryAt : 'the next apply';
    return {
      health: 'Degraded',
      detail: `issuance failed (attempt ${backoff.attempt}): ${backoff.error.split('\n')[0]?.slice(0, 120)}; next attempt after ${when}`,
    };
  }
  if (failed) {
    const ev = [...(last?.events ?? [])].reverse().find((e) => e.step === 'deploy-failed');
    return {
      health: 'Degraded',
      detail: `deploy to ${ev?.target ?? '?'} failed: ${(ev?.detail?.error ?? '').split('\n')[0]?.slice(0, 120)}`,
    };
  }
  if (!d)
    return { health: 'Progressing', detail: 'removed from certs.d; retires on the next apply' };
  if (!r || r.state !== 'active')
    return {
      health: 'Progressing',
      detail: last && !last.closed ? 'issuance in progress' : 'not issued yet',
    };
  if (last && !last.closed)
    return { health: 'Progressing', detail: `operation ${last.action} in progress` };
  if (now.getTime() >= renewalStart(d, r)) return { health: 'Progressing', detail: 'renewal due' };
  const missing = d.targets.filter((t) => !r.targets.some((x) => x.target === t.target));
  if (missing.length)
    return {
      health: 'Progressing',
      detail: `not yet on ${missing.map((t) => t.target).join(', ')}`,
    };
  return { health: 'Healthy', detail: 'issued, deployed and verified' };
}

function targetsOf(
  d: DesiredCertificate | undefined,
  r: InventoryRecord | undefined,
): CertificateStatus['targets'] {
  const names = new Set([
    ...(d?.targets.map((t) => t.target) ?? []),
    ...(r?.targets.map((t) => t.target) ?? []),
  ]);
  return [...names].sort().map((target) => {
    const rec = r?.targets.find((t) => t.target === target);
    return {
      target,
      deployed: Boolean(rec),
      ...(rec?.verifiedAt ? { verifiedAt: rec.verifiedAt } : {}),
    };
  });
}
