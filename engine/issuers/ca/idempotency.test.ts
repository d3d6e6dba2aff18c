import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../clock.ts';
import { fixtureKeyFactory } from '../../crypto/testing.ts';
import type { CaIssuerSpec } from '../../model/types.generated.ts';
import { leafRequest, tempHome } from '../testing.ts';
import type { IssuerContext } from '../types.ts';
import { initCa } from './init.ts';
import { caIssuer } from './issuer.ts';
import { caPaths } from './paths.ts';
import { countIssued, listRecords, readRecord } from './records.ts';

const clock = fixedClock(new Date('2026-03-01T00:00:00Z'));
const spec: CaIssuerSpec = { type: 'ca' };
let home: string;
let cleanup: () => void;
let ctx: IssuerContext;

beforeEach(async () => {
  ({ home, cleanup } = tempHome());
  await initCa({ home, issuerName: 'private-ca', spec, clock, keys: fixtureKeyFactory });
  ctx = { name: 'private-ca', spec, home, clock };
});
afterEach(() => cleanup());

const ecKey = () => fixtureKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });

describe('issuance per operation id', () => {
  it('returns the recorded certificate for a repeated operation id and signs only once', async () => {
    const key = await ecKey();
    const first = await caIssuer.issue(ctx, leafRequest(key, { operationId: 'op-a' }));
    const again = await caIssuer.issue(ctx, leafRequest(key, { operationId: 'op-a' }));
    expect(again).toEqual(first);
    expect(await countIssued(home, 'private-ca')).toBe(1);
    const other = await caIssuer.issue(ctx, leafRequest(key, { operationId: 'op-b' }));
    expect(other.serial).not.toBe(first.serial);
    expect(await countIssued(home, 'private-ca')).toBe(2);
  });

  it('survives a restart: a fresh process reading the record answers without signing', async () => {
    const key = await ecKey();
    const first = await caIssuer.issue(ctx, leafRequest(key, { operationId: 'op-a' }));
    // A new context (as after a crash) sees only what is on disk.
    const fresh: IssuerContext = {
      name: 'private-ca',
      spec: { type: 'ca' },
      home,
      clock: fixedClock(new Date('2026-03-02T00:00:00Z')),
    };
    expect(await caIssuer.issue(fresh, leafRequest(key, { operationId: 'op-a' }))).toEqual(first);
    expect(readdirSync(caPaths(home, 'private-ca').issuedDir)).toEqual(['op-a.json']);
  });

  it('refuses a repeated operation id whose key changed, and signs nothing', async () => {
    await caIssuer.issue(ctx, leafRequest(await ecKey(), { operationId: 'op-a' }));
    await expect(
      caIssuer.issue(ctx, leafRequest(await ecKey(), { operationId: 'op-a' })),
    ).rejects.toThrow(/the operation's key changed/);
    expect(await countIssued(home, 'private-ca')).toBe(1);
  });

  it('records the issuance durably with its facts, mode 0600', async () => {
    const res = await caIssuer.issue(
      ctx,
      leafRequest(await ecKey(), {
        operationId: 'op-a',
        certificate: 'api',
        dnsNames: ['api.example.com'],
      }),
    );
    const path = join(caPaths(home, 'private-ca').issuedDir, 'op-a.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const rec = JSON.parse(readFileSync(path, 'utf8'));
    expect(rec).toMatchObject({
      operationId: 'op-a',
      certificate: 'api',
      serial: res.serial,
      notAfter: res.notAfter,
      names: { dnsNames: ['api.example.com'] },
      certificatePem: res.certificatePem,
      state: 'issued',
    });
  });

  it('refuses an operation id that is not a plain file name', async () => {
    await expect(
      caIssuer.issue(ctx, leafRequest(await ecKey(), { operationId: '../../x' })),
    ).rejects.toThrow(/invalid operation id/);
  });

  it('refuses to sign again over a damaged record', async () => {
    await caIssuer.issue(ctx, leafRequest(await ecKey(), { operationId: 'op-a' }));
    writeFileSync(join(caPaths(home, 'private-ca').issuedDir, 'op-a.json'), '{"trunc');
    await expect(
      caIssuer.issue(ctx, leafRequest(await ecKey(), { operationId: 'op-a' })),
    ).rejects.toThrow(/is damaged/);
    expect(await countIssued(home, 'private-ca')).toBe(1);
  });
});

describe('serial numbers', () => {
  it('are unique, positive, 16 bytes, over many issuances', async () => {
    const key = await ecKey();
    const serials = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const res = await caIssuer.issue(ctx, leafRequest(key, { operationId: `op-${i}` }));
      expect(res.serial).toMatch(/^[0-7][0-9a-f]{31}$/);
      expect(res.serial.startsWith('00')).toBe(false);
      serials.add(res.serial);
    }
    expect(serials.size).toBe(100);
    expect(await countIssued(home, 'private-ca')).toBe(100);
  });
});

describe('caIssuer.retire', () => {
  it('marks the record retired with reason and time; repeats and unknown serials change nothing', async () => {
    const res = await caIssuer.issue(ctx, leafRequest(await ecKey(), { operationId: 'op-a' }));
    const later = { ...ctx, clock: fixedClock(new Date('2026-04-01T00:00:00Z')) };
    await caIssuer.retire?.(later, res.serial.toUpperCase(), 'superseded');
    const paths = caPaths(home, 'private-ca');
    expect(await readRecord(paths, 'op-a')).toMatchObject({
      state: 'retired',
      retired: { reason: 'superseded', at: '2026-04-01T00:00:00.000Z' },
    });
    await caIssuer.retire?.(ctx, res.serial, 'cessationOfOperation');
    expect((await readRecord(paths, 'op-a'))?.retired?.reason).toBe('superseded');
    await caIssuer.retire?.(ctx, '0123456789abcdef', 'superseded');
    expect((await listRecords(home, 'private-ca')).map((r) => r.state)).toEqual(['retired']);
  });
});
