// The DNS client against a real bind9 (test/bind9.ts): signed UPDATEs add and delete a TXT
// record, non-recursive queries see it, and every way a key can be wrong (secret, name, clock)
// comes back as a named TSIG error that does not contain the secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bind9Missing, startBind9, type Bind9 } from '../../../../test/bind9.ts';
import { fixedClock } from '../../../clock.ts';
import { ExternalError } from '../../../errors.ts';
import { query, update, type DnsClient } from './client.ts';
import { parseServer } from './transport.ts';
import type { TsigKey } from './tsig.ts';
import { CLASS, TYPE, txtRdata } from './wire.ts';

const missing = bind9Missing();

describe.skipIf(missing !== undefined)(
  `DNS client against bind9${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let bind: Bind9;
    let client: DnsClient;
    beforeAll(async () => {
      bind = await startBind9();
      const key: TsigKey = {
        name: bind.keyName,
        algorithm: 'hmac-sha256',
        secret: Buffer.from(bind.secret, 'base64'),
      };
      client = { server: parseServer(bind.nameserver), clock: fixedClock(new Date()), key };
    });
    afterAll(() => bind?.stop());

    const txt = (value: string, cls: number = CLASS.IN) => ({
      name: '_acme-challenge.www.example.test',
      type: TYPE.TXT,
      class: cls,
      ttl: cls === CLASS.IN ? 60 : 0,
      rdata: txtRdata(value),
    });
    const values = async () =>
      (await query(client, '_acme-challenge.www.example.test', TYPE.TXT)).answers.flatMap(
        (a) => a.txt?.join('') ?? [],
      );

    it('adds and deletes one TXT record with signed UPDATEs', async () => {
      await update(client, 'example.test', [txt('one'), txt('two')], 'add');
      expect((await values()).sort()).toEqual(['one', 'two']);
      await update(client, 'example.test', [txt('one', CLASS.NONE)], 'delete one');
      expect(await values()).toEqual(['two']);
      await update(client, 'example.test', [txt('two', CLASS.NONE)], 'delete two');
      expect(await values()).toEqual([]);
    });

    it('names BADSIG for a wrong secret, without the secret in the message', async () => {
      const secret = Buffer.from('not the right secret at all');
      const wrong = { ...client, key: { ...client.key!, secret } };
      const err = await update(wrong, 'example.test', [txt('x')], 'add').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExternalError);
      expect((err as ExternalError).message).toMatch(/NOTAUTH \(TSIG BADSIG\)/);
      expect((err as ExternalError).hint).toMatch(/tsigSecret/);
      expect(
        JSON.stringify({ m: (err as Error).message, h: (err as ExternalError).hint }),
      ).not.toContain(secret.toString('base64'));
    });

    it('names BADKEY for an unknown key, and BADTIME for a clock 10 minutes off', async () => {
      const unknown = { ...client, key: { ...client.key!, name: 'nobody' } };
      await expect(update(unknown, 'example.test', [txt('x')], 'add')).rejects.toThrow(
        /NOTAUTH \(TSIG BADKEY\)/,
      );
      const late = { ...client, clock: fixedClock(new Date(Date.now() + 600_000)) };
      await expect(update(late, 'example.test', [txt('x')], 'add')).rejects.toThrow(/BADTIME/);
    });

    it('reports an UPDATE for a zone the server does not serve', async () => {
      const other = { ...txt('x'), name: '_acme-challenge.example.org' };
      await expect(update(client, 'example.org', [other], 'add')).rejects.toThrow(
        /zone example\.org at 127\.0\.0\.1:\d+ failed: NOTAUTH/,
      );
    });

    it('finds the zone of a name from the SOA in the authority section', async () => {
      const m = await query(client, '_acme-challenge.a.b.example.test', TYPE.SOA);
      expect(m.answers).toEqual([]);
      expect(m.authority[0]).toMatchObject({ name: 'example.test', type: TYPE.SOA });
      await expect(query(client, 'example.org', TYPE.SOA)).rejects.toThrow(/REFUSED/);
    });
  },
);
