// The decisions behind a plan, as small pure checks. Each looks at one declared certificate, its
// record and what the targets hold, and returns the reasons it finds (none when all is well).
import { keyAlgorithmLabel } from '../crypto/keys.ts';
import type { InventoryRecord } from '../state/types.ts';
import type { DesiredCertificate } from './desired.ts';
import type { Reason } from './reasons.ts';

export interface CheckInput {
  desired: DesiredCertificate;
  record: InventoryRecord | undefined;
  /** Fingerprint each recorded target holds now (key: target name); absent = not observed. */
  observed: ReadonlyMap<string, string | undefined>;
  now: Date;
  /** The CA's suggested renewal window for the recorded certificate (ACME Renewal Information). */
  suggested?: SuggestedWindow;
}

/** A renewal window a CA suggests (RFC 9773), as epoch milliseconds, start < end. */
export interface SuggestedWindow {
  start: number;
  end: number;
}

/**
 * Where in the CA's window this certificate renews: a point chosen uniformly by the serial
 * (RFC 9773 asks clients to pick at random so a fleet does not renew at once; deriving it from
 * the serial keeps plan and apply, and every re-run, agreeing on the same moment).
 */
export function pointInWindow(w: SuggestedWindow, serial: string): number {
  let h = 2166136261;
  for (let i = 0; i < serial.length; i++) h = Math.imul(h ^ serial.charCodeAt(i), 16777619);
  return w.start + Math.floor(((h >>> 0) / 2 ** 32) * (w.end - w.start));
}

const day = 86_400_000;
const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

export function notIssued({ record }: CheckInput): Reason[] {
  if (record && record.state === 'active') return [];
  return [
    { code: 'NotIssued', message: record ? `was ${record.state}; issue anew` : 'never issued' },
  ];
}

/** When renewal is due: renewBefore (or a percentage of the lifetime) before notAfter. */
export function renewalStart(
  d: DesiredCertificate,
  r: Pick<InventoryRecord, 'notBefore' | 'notAfter'>,
): number {
  const from = Date.parse(r.notBefore);
  const to = Date.parse(r.notAfter);
  const life = to - from;
  const pctStart = to - (life * (d.renewBeforePercentage ?? 33)) / 100;
  // A window as long as the certificate's actual lifetime (validity capped by the CA) would renew
  // on every run: fall back to the percentage rule then.
  if (d.renewBeforeMs !== undefined && d.renewBeforeMs < life) return to - d.renewBeforeMs;
  return d.renewBeforeMs !== undefined ? to - life / 3 : pctStart;
}

export function renewalWindow({ desired, record, now, suggested }: CheckInput): Reason[] {
  if (!record || record.state !== 'active') return [];
  if (suggested) {
    const at = pointInWindow(suggested, record.serial);
    if (now.getTime() < at) return [];
    return [
      {
        code: 'RenewalWindow',
        message: `the CA suggests renewing between ${new Date(suggested.start).toISOString()} and ${new Date(suggested.end).toISOString()} (ACME Renewal Information); this certificate's moment was ${new Date(at).toISOString()}`,
      },
    ];
  }
  const start = renewalStart(desired, record);
  const end = Date.parse(record.notAfter);
  if (now.getTime() < start) return [];
  const left = Math.floor((end - now.getTime()) / day);
  return [
    {
      code: 'RenewalWindow',
      message:
        now.getTime() >= end
          ? `expired on ${isoDay(end)}`
          : `expires ${isoDay(end)} (${left}d left); window opened ${isoDay(start)}`,
    },
  ];
}

export function specChanged({ desired, record }: CheckInput): Reason[] {
  if (!record || record.state !== 'active') return [];
  const out: Reason[] = [];
  if (record.keyPolicyHash !== desired.keyPolicyHash) {
    out.push({
      code: 'KeyPolicyChanged',
      message: `key ${record.keyAlgorithm} → ${keyAlgorithmLabel(desired.key)}`,
    });
  }
  if (record.specHash !== desired.specHash) {
    const added = desired.dnsNames.filter((n) => !record.dnsNames.includes(n));
    const removed = record.dnsNames.filter((n) => !desired.dnsNames.includes(n));
    const parts = [...added.map((n) => `+${n}`), ...removed.map((n) => `-${n}`)];
    if (record.issuer !== desired.issuer) parts.push(`issuer ${record.issuer} → ${desired.issuer}`);
    out.push({
      code: 'SpecChanged',
      message: parts.length ? parts.join(', ') : 'subject, usages or validity changed',
    });
  }
  return out;
}

export function targetChanges({ desired, record, observed }: CheckInput): Reason[] {
  if (!record || record.state !== 'active') return [];
  const out: Reason[] = [];
  const recorded = new Map(record.targets.map((t) => [t.target, t]));
  for (const t of desired.targets) {
    const rec = recorded.get(t.target);
    if (!rec) {
      out.push({ code: 'TargetAdded', message: `→ ${t.target}` });
      continue;
    }
    if (!observed.has(t.target)) continue;
    const held = observed.get(t.target);
    if (held !== rec.fingerprintSha256) {
      out.push({
        code: 'TargetDrift',
        message: `${t.target} holds ${held ? held.slice(0, 12) : 'nothing'}, recorded ${rec.fingerprintSha256.slice(0, 12)}`,
      });
    }
  }
  for (const rec of record.targets) {
    if (!desired.targets.some((t) => t.target === rec.target))
      out.push({ code: 'TargetRemoved', message: `✕ ${rec.target}` });
  }
  return out;
}

/** The checks, in the order their reasons are shown. */
export const PLAN_CHECKS = [notIssued, specChanged, renewalWindow, targetChanges] as const;
