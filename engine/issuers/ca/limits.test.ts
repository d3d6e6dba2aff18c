import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../clock.ts';
import { fixtureKeyFactory } from '../../crypto/testing.ts';
import { parseCertificate } from '../../crypto/x509.ts';
import { ExternalError, PolicyDeniedError } from '../../errors.ts';
import type { CaIssuerSpec } from '../../model/types.generated.ts';
import { leafRequest, useTestCa } from '../testing.ts';
import { caIssuer } from './issuer.ts';

// What the CA refuses or caps: validity limits, CA-only usages, bad names, a missing CA.
const clock = fixedClock(new Date('2026-03-01T00:00:00Z'));
const spec: CaIssuerSpec = { type: 'ca' };
const fx = useTestCa(spec, clock);

describe('caIssuer.issue limits', () => {
  it('caps validity at maxValidity from notBefore', async () => {
    const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
    const capped = { ...fx.ctx, spec: { ...spec, maxValidity: '30d' } };
    const res = await caIssuer.issue(capped, leafRequest(key, { operationId: fx.nextOp() }));
    expect(res.notBefore).toBe('2026-03-01T00:00:00Z');
    expect(res.notAfter).toBe('2026-03-31T00:00:00Z');
    const uncapped = await caIssuer.issue(fx.ctx, leafRequest(key, { operationId: fx.nextOp() }));
    expect(uncapped.notAfter).toBe('2026-05-30T00:00:00Z');
  });

  it("caps validity at the intermediate's notAfter", async () => {
    const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
    const late = { ...fx.ctx, clock: fixedClock(new Date('2036-01-01T00:00:00Z')) };
    const res = await caIssuer.issue(
      late,
      leafRequest(key, {
        operationId: fx.nextOp(),
        notBefore: new Date('2036-01-01T00:00:00Z'),
        notAfter: new Date('2037-01-01T00:00:00Z'),
      }),
    );
    expect(res.notAfter).toBe(parseCertificate(fx.ca.intermediatePem).notAfter);
  });

  it('refuses to issue from an expired intermediate', async () => {
    const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
    const expired = { ...fx.ctx, clock: fixedClock(new Date('2036-06-01T00:00:00Z')) };
    await expect(
      caIssuer.issue(expired, leafRequest(key, { operationId: fx.nextOp() })),
    ).rejects.toThrow(/expired/);
  });

  it('refuses CA-only key usages for a leaf (policy)', async () => {
    const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
    const req = leafRequest(key, {
      operationId: fx.nextOp(),
      keyUsages: ['digitalSignature', 'keyCertSign'],
    });
    await expect(caIssuer.issue(fx.ctx, req)).rejects.toThrow(PolicyDeniedError);
  });

  it('refuses a malformed IP address by name', async () => {
    const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
    const req = leafRequest(key, { operationId: fx.nextOp(), ipAddresses: ['10.0.0.999'] });
    await expect(caIssuer.issue(fx.ctx, req)).rejects.toThrow(/"10.0.0.999" is not an IP address/);
  });

  it('tells the user to run `certops init --ca` when the CA does not exist', async () => {
    const key = await fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
    const missing = { ...fx.ctx, name: 'other-ca' };
    const err = await caIssuer.issue(missing, leafRequest(key)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect((err as ExternalError).message).toMatch(/"other-ca" is not initialised/);
    expect((err as ExternalError).hint).toContain('certops init --ca');
  });
});
