import { describe, expect, it } from 'vitest';
import { partitionResults, type PolicyResult, type WaiverView } from './waivers.ts';

const result = (over: Partial<PolicyResult> = {}): PolicyResult => ({
  id: 'crypto.rsa_min_size',
  level: 'deny',
  message: 'RSA keys must be at least 2048 bits',
  subject: { kind: 'Certificate', name: 'legacy', labels: { env: 'prod', team: 'payments' } },
  path: 'spec.privateKey.size',
  ...over,
});
const waiver = (over: Partial<WaiverView> = {}): WaiverView => ({
  name: 'legacy-rsa',
  rule: 'crypto.rsa_min_size',
  subject: { kind: 'Certificate', names: ['legacy'] },
  owner: '@example/payments',
  justification: 'old JRE, replacement planned',
  expires: '2027-06-30',
  ...over,
});
const now = new Date('2026-12-01T00:00:00Z');
const opts = { maxHorizonDays: 365 };

describe('partitionResults', () => {
  it('without waivers every result counts', () => {
    const p = partitionResults([result()], [], now, opts);
    expect(p.failed).toHaveLength(1);
    expect(p.waived).toEqual([]);
  });

  it('a matching, unexpired waiver moves the result to waived, still reported', () => {
    const p = partitionResults([result()], [waiver()], now, opts);
    expect(p.failed).toEqual([]);
    expect(p.waived).toEqual([{ result: result(), waiver: waiver() }]);
    expect(p.waiverWarnings).toEqual([]);
  });

  it('a waiver dated today still applies until the end of that day (UTC)', () => {
    const p = partitionResults(
      [result()],
      [waiver({ expires: '2026-12-01' })],
      new Date('2026-12-01T23:59:00Z'),
      opts,
    );
    expect(p.waived).toHaveLength(1);
  });

  it('an expired waiver turns the violation back on, and says which waiver expired', () => {
    const p = partitionResults([result()], [waiver({ expires: '2026-11-30' })], now, opts);
    expect(p.failed).toEqual([result()]);
    expect(p.expiredWaiver).toEqual([
      { result: result(), waiver: waiver({ expires: '2026-11-30' }) },
    ]);
    expect(p.waived).toEqual([]);
  });

  it('matches by rule, kind, names and labels; a mismatch on any does not waive', () => {
    expect(
      partitionResults([result()], [waiver({ rule: 'other.rule' })], now, opts).failed,
    ).toHaveLength(1);
    expect(
      partitionResults([result()], [waiver({ subject: { names: ['other'] } })], now, opts).failed,
    ).toHaveLength(1);
    expect(
      partitionResults(
        [result()],
        [waiver({ subject: { kind: 'Issuer', names: ['legacy'] } })],
        now,
        opts,
      ).failed,
    ).toHaveLength(1);
    const byLabel = waiver({ subject: { matchLabels: { team: 'payments' } } });
    expect(partitionResults([result()], [byLabel], now, opts).waived).toHaveLength(1);
    const wrongLabel = waiver({ subject: { matchLabels: { team: 'identity' } } });
    expect(partitionResults([result()], [wrongLabel], now, opts).failed).toHaveLength(1);
  });

  it('a waiver that matches nothing is a warning', () => {
    const p = partitionResults([], [waiver()], now, opts);
    expect(p.waiverWarnings).toEqual([{ waiver: waiver(), reason: 'matches-nothing' }]);
  });

  it('a waiver beyond the maximum horizon is ignored and reported', () => {
    const far = waiver({ expires: '2028-12-31' });
    const p = partitionResults([result()], [far], now, opts);
    expect(p.failed).toHaveLength(1);
    expect(p.waiverWarnings).toEqual([{ waiver: far, reason: 'beyond-horizon' }]);
  });

  it('an expired waiver next to a live one for the same result: the live one waives', () => {
    const p = partitionResults(
      [result()],
      [waiver({ name: 'old', expires: '2026-01-01' }), waiver({ name: 'new' })],
      now,
      opts,
    );
    expect(p.waived.map((w) => w.waiver.name)).toEqual(['new']);
    expect(p.failed).toEqual([]);
  });
});
