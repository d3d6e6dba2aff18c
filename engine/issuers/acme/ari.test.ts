import { describe, expect, it } from 'vitest';
import { ExternalError } from '../../errors.ts';
import { ariCertId, parseRenewalInfo } from './ari.ts';

describe('ARI (RFC 9773)', () => {
  it('names a certificate as RFC 9773 §4.1 does', () => {
    // The RFC's example: AKI 69:88:5B:…:D4, serial 00:87:65:43:21.
    expect(ariCertId('69885b6b87464041e1b37b847ba0ae2cde01c8d4', '0087654321')).toBe(
      'aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE',
    );
  });

  it('reads a suggested window and refuses anything else', () => {
    expect(
      parseRenewalInfo({
        suggestedWindow: { start: '2026-12-01T00:00:00Z', end: '2026-12-03T00:00:00Z' },
      }),
    ).toEqual({
      start: Date.parse('2026-12-01T00:00:00Z'),
      end: Date.parse('2026-12-03T00:00:00Z'),
    });
    for (const bad of [
      null,
      {},
      { suggestedWindow: { start: 'soon', end: '2026-12-03T00:00:00Z' } },
      { suggestedWindow: { start: '2026-12-03T00:00:00Z', end: '2026-12-01T00:00:00Z' } },
    ])
      expect(() => parseRenewalInfo(bad)).toThrow(ExternalError);
  });
});
