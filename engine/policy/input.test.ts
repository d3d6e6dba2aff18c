import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/helpers.ts';
import type { Model } from '../model/object.ts';
import { desiredCertificates, type DesiredCertificate } from '../plan/desired.ts';
import type { Change } from '../plan/planner.ts';
import { validatorFor } from '../schema/registry.ts';
import { validateRepository } from '../validate/validate-repo.ts';
import { nowNs, policyInput } from './input.ts';

const NOW = new Date('2026-04-01T09:30:00Z');
let model: Model;
let desired: Map<string, DesiredCertificate>;

beforeAll(async () => {
  const report = await validateRepository(REPO_ROOT, { now: NOW });
  model = report.model;
  desired = new Map(desiredCertificates(model).map((d) => [d.name, d]));
});

const get = (name: string): DesiredCertificate => {
  const d = desired.get(name);
  if (!d) throw new Error(`${name} is not in the example repository`);
  return d;
};

function expectValid(doc: unknown): void {
  const v = validatorFor('PolicyInput');
  const ok = v(doc);
  expect(v.errors ?? [], JSON.stringify(v.errors)).toEqual([]);
  expect(ok).toBe(true);
}

describe('policyInput', () => {
  it('builds a schema-valid document for every certificate of the example repository', () => {
    expect(desired.size).toBeGreaterThan(5);
    for (const d of desired.values()) expectValid(policyInput({ desired: d, model, now: NOW }));
  });

  it('matches the README example for legacy-batch in a pull request', () => {
    const change: Change = {
      certificate: 'legacy-batch',
      action: 'issue',
      reasons: [{ code: 'NotIssued', message: 'never issued' }],
      deploy: [],
      undeploy: [],
      operationId: 'op',
    };
    const doc = policyInput({
      desired: get('legacy-batch'),
      change,
      model,
      now: NOW,
      approvals: [{ login: 'alice', teams: ['@example/payments'] }],
      repo: { author: 'dave', changedPaths: ['certs.d/payments/legacy-batch.yaml'] },
      discovered: {
        serial: '4f1c',
        notBefore: '2026-01-10T08:00:00Z',
        notAfter: '2027-01-10T08:00:00Z',
      },
    });
    expectValid(doc);
    expect(doc).toEqual({
      certificate: {
        kind: 'Certificate',
        name: 'legacy-batch',
        team: 'payments',
        file: 'certs.d/payments/legacy-batch.yaml',
        labels: { env: 'prod', legacy: 'true', team: 'payments' },
        owner: '@example/payments',
        issuer: { name: 'private-ca', type: 'ca', public: false },
        profile: 'tls-server',
        dnsNames: ['batch.payments.example.com'],
        ipAddresses: [],
        uris: [],
        emailAddresses: [],
        privateKey: { algorithm: 'RSA', size: 2048, rotation: 'reuse' },
        keyUsages: ['digitalSignature'],
        extendedKeyUsages: ['serverAuth'],
        durationDays: 365,
        renewBeforeDays: 60,
        targets: [{ name: 'payments-files', type: 'file' }],
      },
      action: 'issue',
      reasons: ['NotIssued'],
      discovered: {
        serial: '4f1c',
        notBefore: '2026-01-10T08:00:00Z',
        notAfter: '2027-01-10T08:00:00Z',
      },
      approvals: [{ login: 'alice', teams: ['@example/payments'] }],
      repo: { author: 'dave', changedPaths: ['certs.d/payments/legacy-batch.yaml'] },
      now: '2026-04-01T09:30:00.000Z',
      now_ns: '1775035800000000000',
    });
    // Keys sorted at every level (the runtime appends sorted keys without a search).
    expect(Object.keys(doc)).toEqual([
      'action',
      'approvals',
      'certificate',
      'discovered',
      'now',
      'now_ns',
      'reasons',
      'repo',
    ]);
    expect(Object.keys(doc.certificate)).toEqual(Object.keys(doc.certificate).sort());
  });

  it('leaves approvals and repo out unless given, and defaults the action to issue', () => {
    const doc = policyInput({ desired: get('payments-api'), model, now: NOW });
    expect(doc.action).toBe('issue');
    expect(doc).not.toHaveProperty('approvals');
    expect(doc).not.toHaveProperty('repo');
    expect(doc).not.toHaveProperty('reasons');
    // From the tls-server profile.
    expect(doc.certificate.durationDays).toBe(90);
    expect(doc.certificate.renewBeforeDays).toBe(30);
  });

  it('marks acme issuers public and ca/selfSigned issuers private', () => {
    const login = policyInput({ desired: get('login'), model, now: NOW });
    expect(login.certificate.issuer).toEqual({ name: 'letsencrypt', type: 'acme', public: true });
    const api = policyInput({ desired: get('payments-api'), model, now: NOW });
    expect(api.certificate.issuer).toEqual({ name: 'private-ca', type: 'ca', public: false });
    const self = policyInput({
      desired: { ...get('payments-api'), issuer: 'dev', issuerType: 'selfSigned' },
      model,
      now: NOW,
    });
    expect(self.certificate.issuer.public).toBe(false);
  });

  it('computes renewBeforeDays from renewBeforePercentage, fractional when it does not divide', () => {
    const d = get('payments-api');
    const pct: DesiredCertificate = {
      ...d,
      durationMs: 10 * 86_400_000,
      renewBeforeMs: undefined,
      renewBeforePercentage: 33,
    };
    delete pct.renewBeforeMs;
    expect(policyInput({ desired: pct, model, now: NOW }).certificate.renewBeforeDays).toBe(3.3);
    const hours = { ...d, durationMs: 36 * 3_600_000 };
    expect(policyInput({ desired: hours, model, now: NOW }).certificate.durationDays).toBe(1.5);
  });

  it('is deterministic', () => {
    const a = policyInput({ desired: get('login'), model, now: NOW });
    const b = policyInput({ desired: get('login'), model, now: NOW });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('refuses a change about another certificate', () => {
    const change = { certificate: 'other', action: 'renew', reasons: [] } as unknown as Change;
    expect(() => policyInput({ desired: get('login'), change, model, now: NOW })).toThrow();
  });
});

describe('nowNs', () => {
  it('is exact beyond 2^53 (BigInt, never a float)', () => {
    const d = new Date('2026-04-01T09:30:00.123Z');
    const expected = BigInt(d.getTime()) * 1_000_000n;
    expect(expected > 2n ** 53n).toBe(true);
    expect(BigInt(nowNs(d))).toBe(expected);
    expect(nowNs(d)).toBe('1775035800123000000');
    // A float would round: 1775035800123000000 is not representable as a double.
    expect(BigInt(Number(nowNs(d)))).not.toBe(expected);
    expect(policyInput({ desired: get('login'), model, now: d }).now_ns).toBe(
      '1775035800123000000',
    );
  });

  it('handles times before the epoch', () => {
    expect(nowNs(new Date(-1))).toBe('-1000000');
    expect(() => nowNs(new Date(Number.NaN))).toThrow();
  });
});
