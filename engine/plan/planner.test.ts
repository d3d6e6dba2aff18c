import { describe, expect, it } from 'vitest';
import type { InventoryRecord } from '../state/types.ts';
import type { DesiredCertificate } from './desired.ts';
import { pointInWindow } from './checks.ts';
import { plan, type PlanInput } from './planner.ts';

const desired = (over: Partial<DesiredCertificate> = {}): DesiredCertificate => ({
  name: 'web',
  team: 'a',
  state: 'active',
  issuer: 'private-ca',
  issuerType: 'ca',
  dnsNames: ['web.example.com'],
  ipAddresses: [],
  emailAddresses: [],
  uris: [],
  key: { algorithm: 'ECDSA', size: 256 },
  rotation: 'always',
  durationMs: 90 * 86_400_000,
  renewBeforeMs: 30 * 86_400_000,
  keyUsages: ['digitalSignature'],
  extendedKeyUsages: ['serverAuth'],
  targets: [{ target: 'files', deployName: 'web', type: 'file' }],
  specHash: 'spec-1',
  keyPolicyHash: 'key-1',
  ...over,
});

const record = (over: Partial<InventoryRecord> = {}): InventoryRecord => ({
  name: 'web',
  state: 'active',
  issuer: 'private-ca',
  issuerDn: 'CN=CA',
  serial: '01ab',
  fingerprintSha256: 'f'.repeat(64),
  notBefore: '2026-10-01T00:00:00.000Z',
  notAfter: '2026-12-30T00:00:00.000Z',
  dnsNames: ['web.example.com'],
  ipAddresses: [],
  keyAlgorithm: 'ECDSA-P256',
  specHash: 'spec-1',
  keyPolicyHash: 'key-1',
  certificatePem: '',
  chainPem: '',
  targets: [
    {
      target: 'files',
      deployName: 'web',
      fingerprintSha256: 'f'.repeat(64),
      deployedAt: '2026-10-01T00:00:00.000Z',
    },
  ],
  desiredCommit: '',
  operation: 'web-000000000000',
  updatedAt: '2026-10-01T00:00:00.000Z',
  previous: [],
  ...over,
});

const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  desired: [desired()],
  inventory: new Map([['web', record()]]),
  observed: new Map(),
  now: new Date('2026-11-01T00:00:00Z'),
  ...over,
});

const summary = (p: ReturnType<typeof plan>) =>
  p.changes.map((c) => [c.certificate, c.action, c.reasons.map((r) => r.code)]);

describe('plan', () => {
  it('has nothing to do for an up-to-date certificate', () => {
    const p = plan(input());
    expect(p.changes).toEqual([]);
    expect(p.unchanged).toEqual(['web']);
  });

  it('issues a declared certificate that was never issued, to all its targets', () => {
    const p = plan(input({ inventory: new Map() }));
    expect(summary(p)).toEqual([['web', 'issue', ['NotIssued']]]);
    expect(p.changes[0]?.deploy.map((t) => t.target)).toEqual(['files']);
  });

  it('renews 30 days before expiry with renewBefore 30d (the seed scenario), not a day earlier', () => {
    expect(plan(input({ now: new Date('2026-11-29T23:59:00Z') })).changes).toEqual([]);
    const p = plan(input({ now: new Date('2026-11-30T00:00:00Z') }));
    expect(summary(p)).toEqual([['web', 'renew', ['RenewalWindow']]]);
    expect(p.changes[0]?.reasons[0]?.message).toBe(
      'expires 2026-12-30 (30d left); window opened 2026-11-30',
    );
    expect(p.changes[0]?.previousSerial).toBe('01ab');
  });

  it('uses renewBeforePercentage of the lifetime when no renewBefore is set', () => {
    const d = desired({ renewBeforeMs: undefined, renewBeforePercentage: 33 });
    // lifetime 90 days: renew when 29.7 days remain → from 2026-11-30T07:12Z.
    expect(plan(input({ desired: [d], now: new Date('2026-11-30T07:00:00Z') })).changes).toEqual(
      [],
    );
    expect(summary(plan(input({ desired: [d], now: new Date('2026-11-30T08:00:00Z') })))).toEqual([
      ['web', 'renew', ['RenewalWindow']],
    ]);
  });

  it('falls back to a third of the lifetime when renewBefore exceeds the actual lifetime', () => {
    const d = desired({ renewBeforeMs: 200 * 86_400_000 });
    expect(plan(input({ desired: [d] })).changes).toEqual([]);
  });

  it('follows the CA’s suggested window (ARI) instead of renewBefore, at a point fixed by the serial', () => {
    const w = {
      start: Date.parse('2026-11-10T00:00:00Z'),
      end: Date.parse('2026-11-12T00:00:00Z'),
    };
    const at = pointInWindow(w, '01ab');
    expect(at).toBeGreaterThanOrEqual(w.start);
    expect(at).toBeLessThan(w.end);
    expect(pointInWindow(w, '01ab')).toBe(at); // the same moment on every run
    const suggested = new Map([['web', w]]);
    // Well before renewBefore (2026-11-30) but inside the suggested window: renew.
    expect(plan(input({ suggested, now: new Date(at - 1000) })).changes).toEqual([]);
    const p = plan(input({ suggested, now: new Date(at) }));
    expect(summary(p)).toEqual([['web', 'renew', ['RenewalWindow']]]);
    expect(p.changes[0]?.reasons[0]?.message).toMatch(
      /^the CA suggests renewing between 2026-11-10T00:00:00\.000Z and 2026-11-12T00:00:00\.000Z \(ACME Renewal Information\)/,
    );
    // A window later than renewBefore holds renewal back, too.
    const late = new Map([
      [
        'web',
        { start: Date.parse('2026-12-10T00:00:00Z'), end: Date.parse('2026-12-11T00:00:00Z') },
      ],
    ]);
    expect(plan(input({ suggested: late, now: new Date('2026-12-01T00:00:00Z') })).changes).toEqual(
      [],
    );
  });

  it('spreads a fleet over the window', () => {
    const w = { start: 0, end: 1_000_000 };
    const points = Array.from({ length: 200 }, (_, i) => pointInWindow(w, (i * 7919).toString(16)));
    const quarters = [0, 1, 2, 3].map(
      (q) => points.filter((p) => Math.floor(p / 250_000) === q).length,
    );
    expect(Math.min(...quarters)).toBeGreaterThan(25);
  });

  it('reports an expired certificate in the renewal window', () => {
    const p = plan(input({ now: new Date('2027-01-05T00:00:00Z') }));
    expect(p.changes[0]?.reasons[0]).toEqual({
      code: 'RenewalWindow',
      message: 'expired on 2026-12-30',
    });
  });

  it('replaces on changed names and on changed key policy, saying what changed', () => {
    const names = plan(
      input({
        desired: [
          desired({ dnsNames: ['web.example.com', 'www.example.com'], specHash: 'spec-2' }),
        ],
      }),
    );
    expect(summary(names)).toEqual([['web', 'replace', ['SpecChanged']]]);
    expect(names.changes[0]?.reasons[0]?.message).toBe('+www.example.com');
    const key = plan(
      input({
        desired: [desired({ key: { algorithm: 'ECDSA', size: 384 }, keyPolicyHash: 'key-2' })],
      }),
    );
    expect(summary(key)).toEqual([['web', 'replace', ['KeyPolicyChanged']]]);
    expect(key.changes[0]?.reasons[0]?.message).toBe('key ECDSA-P256 → ECDSA-P384');
  });

  it('deploys to an added target and removes from a removed one, without re-issuing', () => {
    const added = plan(
      input({
        desired: [
          desired({
            targets: [
              { target: 'files', deployName: 'web', type: 'file' },
              { target: 'edge', deployName: 'web', type: 'nginx' },
            ],
          }),
        ],
      }),
    );
    expect(summary(added)).toEqual([['web', 'deploy', ['TargetAdded']]]);
    expect(added.changes[0]?.deploy.map((t) => t.target)).toEqual(['edge']);
    const removed = plan(input({ desired: [desired({ targets: [] })] }));
    expect(summary(removed)).toEqual([['web', 'undeploy', ['TargetRemoved']]]);
    expect(removed.changes[0]?.undeploy).toEqual([{ target: 'files', deployName: 'web' }]);
  });

  it('redeploys where a target no longer holds the recorded certificate', () => {
    const observed = new Map([['web', new Map([['files', 'e'.repeat(64)]])]]);
    const p = plan(input({ observed }));
    expect(summary(p)).toEqual([['web', 'deploy', ['TargetDrift']]]);
    expect(p.changes[0]?.deploy.map((t) => t.target)).toEqual(['files']);
    const same = plan(
      input({ observed: new Map([['web', new Map([['files', 'f'.repeat(64)]])]]) }),
    );
    expect(same.changes).toEqual([]);
  });

  it('retires certificates removed from certs.d or set to retired', () => {
    expect(summary(plan(input({ desired: [] })))).toEqual([['web', 'retire', ['Retired']]]);
    expect(summary(plan(input({ desired: [desired({ state: 'retired' })] })))).toEqual([
      ['web', 'retire', ['Retired']],
    ]);
    expect(
      plan(input({ desired: [], inventory: new Map([['web', record({ state: 'retired' })]]) }))
        .changes,
    ).toEqual([]);
  });

  it('does not act on state revoked yet, and says so', () => {
    const p = plan(input({ desired: [desired({ state: 'revoked' })] }));
    expect(p.changes).toEqual([]);
    expect(p.notices).toEqual([
      'web: state revoked is not carried out by this version; nothing is changed for it',
    ]);
  });

  it('gives the same operation id to the same change planned again, a new one after it is applied', () => {
    const a = plan(input({ now: new Date('2026-12-01T00:00:00Z') }));
    const b = plan(input({ now: new Date('2026-12-02T00:00:00Z') }));
    expect(a.changes[0]?.operationId).toMatch(/^web-[0-9a-f]{12}$/);
    expect(b.changes[0]?.operationId).toBe(a.changes[0]?.operationId);
    expect(b.planId).not.toBe(a.planId);
    const after = plan(
      input({
        inventory: new Map([['web', record({ serial: '02cd' })]]),
        now: new Date('2026-12-01T00:00:00Z'),
      }),
    );
    expect(after.changes[0]?.operationId).not.toBe(a.changes[0]?.operationId);
  });
});
