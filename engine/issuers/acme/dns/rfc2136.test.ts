// The rfc2136 solver. First against a scripted in-memory DNS (the Exchange is injected) for
// propagation timing with a fake clock and sleep; then against a real bind9 for the updates,
// zone discovery and key errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bind9Missing, startBind9, type Bind9 } from '../../../../test/bind9.ts';
import { fixedClock, type Clock } from '../../../clock.ts';
import { ExternalError, UsageError } from '../../../errors.ts';
import { query } from './client.ts';
import { rfc2136Solver, type Rfc2136Options } from './rfc2136.ts';
import { parseServer, serverText, type Exchange } from './transport.ts';
import { decodeMessage } from './decode.ts';
import { CLASS, encodeMessage, TYPE, txtRdata, type OutRecord } from './wire.ts';

const ch = { type: 'dns-01', token: 'tok' };
const primary = parseServer('192.0.2.53:5353');

/** A scripted DNS: `txtAt(server, poll)` says whether the TXT is visible to that server yet. */
function scripted(txtAt: (server: string, poll: number) => boolean) {
  const sent: string[] = [];
  const polls = new Map<string, number>();
  let value = '';
  const exchange: Exchange = async (server, packet) => {
    const req = decodeMessage(packet);
    const q = req.questions[0]!;
    const s = serverText(server);
    const reply = (answers: OutRecord[]) =>
      encodeMessage({ id: req.id, flags: 0x8400 | (req.opcode << 11), questions: [q], answers });
    if (req.opcode === 5) {
      const u = req.authority[0]!;
      sent.push(`${s} update ${u.class === CLASS.NONE ? 'delete' : 'add'} ${u.name} ${u.txt}`);
      value = u.txt?.join('') ?? '';
      return reply([]);
    }
    sent.push(`${s} query ${q.name} ${q.type}`);
    const rr = (type: number, rdata: Buffer): OutRecord => ({
      name: q.name,
      type,
      class: 1,
      ttl: 60,
      rdata,
    });
    if (q.type === TYPE.NS)
      return reply([rr(TYPE.NS, Buffer.from('\x03ns1\x07example\x04test\x00', 'latin1'))]);
    if (q.type === TYPE.A) return reply([rr(TYPE.A, Buffer.from([198, 51, 100, 7]))]);
    const n = (polls.get(s) ?? 0) + 1;
    polls.set(s, n);
    return reply(txtAt(s, n) ? [rr(TYPE.TXT, txtRdata(value))] : []);
  };
  return { exchange, sent };
}

function options(exchange: Exchange, clock: Clock, sleeps: number[]): Rfc2136Options {
  return {
    nameserver: primary,
    zone: 'example.test',
    key: async () => undefined,
    clock,
    exchange,
    sleep: async (ms) => void sleeps.push(ms),
    pollIntervalMs: 1000,
    propagationTimeoutMs: 5000,
    nsPort: 53,
  };
}

describe('rfc2136 solver, scripted DNS', () => {
  it('adds the record, then polls the primary and the zone’s NS hosts until both see it', async () => {
    const dns = scripted((s, n) => (s === '198.51.100.7:53' ? n >= 3 : true));
    const sleeps: number[] = [];
    const solver = rfc2136Solver(options(dns.exchange, fixedClock(new Date()), sleeps));
    await solver.present('www.example.test', ch, 'VALUE');
    expect(sleeps).toEqual([1000, 1000]);
    expect(dns.sent.slice(0, 4)).toEqual([
      '192.0.2.53:5353 update add _acme-challenge.www.example.test VALUE',
      `192.0.2.53:5353 query example.test ${TYPE.NS}`,
      `192.0.2.53:5353 query ns1.example.test ${TYPE.A}`,
      `192.0.2.53:5353 query _acme-challenge.www.example.test ${TYPE.TXT}`,
    ]);
    expect(dns.sent.filter((l) => l.startsWith('198.51.100.7:53 query'))).toHaveLength(3);
    await solver.cleanup('www.example.test', ch);
    expect(dns.sent.at(-1)).toBe(
      '192.0.2.53:5353 update delete _acme-challenge.www.example.test VALUE',
    );
  });

  it('gives up after propagationTimeout naming record and server, and removes the record', async () => {
    const dns = scripted((s) => s !== '198.51.100.7:53');
    const sleeps: number[] = [];
    // A frozen clock: the time slept still ends the wait.
    const solver = rfc2136Solver(options(dns.exchange, fixedClock(new Date()), sleeps));
    const err = await solver.present('www.example.test', ch, 'V').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect((err as Error).message).toBe(
      'TXT record _acme-challenge.www.example.test. with the challenge value is not visible at 198.51.100.7:53 after 5s',
    );
    expect(sleeps).toHaveLength(5);
    expect(dns.sent.at(-1)).toMatch(/update delete _acme-challenge\.www\.example\.test V$/);
  });

  it('stops at the clock’s deadline too', async () => {
    const dns = scripted(() => false);
    let now = 0;
    const sleeps: number[] = [];
    const clock = { now: () => new Date(now) };
    const o = options(dns.exchange, clock, sleeps);
    const solver = rfc2136Solver({
      ...o,
      sleep: async (ms) => void ((now += 4000), sleeps.push(ms)),
    });
    await expect(solver.present('www.example.test', ch, 'V')).rejects.toThrow(/not visible/);
    expect(sleeps).toHaveLength(2);
  });

  it('refuses a name outside the configured zone before sending anything', async () => {
    const dns = scripted(() => true);
    const solver = rfc2136Solver(options(dns.exchange, fixedClock(new Date()), []));
    await expect(solver.present('www.example.org', ch, 'V')).rejects.toThrow(UsageError);
    await expect(solver.present('www.example.org', ch, 'V')).rejects.toThrow(
      /_acme-challenge\.www\.example\.org\. is outside the rfc2136 solver's zone example\.test/,
    );
    expect(dns.sent).toEqual([]);
  });
});

const missing = bind9Missing();

describe.skipIf(missing !== undefined)(
  `rfc2136 solver against bind9${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let bind: Bind9;
    beforeAll(async () => {
      bind = await startBind9();
    });
    afterAll(() => bind?.stop());

    const solverWith = (secret: string, zone?: string) =>
      rfc2136Solver({
        nameserver: parseServer(bind.nameserver),
        ...(zone ? { zone } : {}),
        key: async () => ({
          name: bind.keyName,
          algorithm: bind.algorithm,
          secret: Buffer.from(secret, 'base64'),
        }),
        clock: { now: () => new Date() },
        pollIntervalMs: 50,
        propagationTimeoutMs: 2000,
      });
    const visible = async (name: string) =>
      (
        await query(
          { server: parseServer(bind.nameserver), clock: fixedClock(new Date()) },
          name,
          TYPE.TXT,
        )
      ).answers.map((a) => a.txt?.join(''));

    it('presents a TXT record bind9 then serves, and cleans up exactly that record', async () => {
      const solver = solverWith(bind.secret);
      await solver.present('app.example.test', ch, 'first');
      await solver.present('app.example.test', { ...ch, token: 'other' }, 'second');
      expect((await visible('_acme-challenge.app.example.test')).sort()).toEqual([
        'first',
        'second',
      ]);
      await solver.cleanup('app.example.test', ch);
      expect(await visible('_acme-challenge.app.example.test')).toEqual(['second']);
      await solver.cleanup('app.example.test', { ...ch, token: 'other' });
      expect(await visible('_acme-challenge.app.example.test')).toEqual([]);
    });

    it('reports a wrong TSIG secret as BADSIG without the secret', async () => {
      const wrong = Buffer.from('wrong-secret-wrong-secret-123456').toString('base64');
      const err = await solverWith(wrong, 'example.test')
        .present('app.example.test', ch, 'x')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExternalError);
      const text = `${(err as ExternalError).message}\n${(err as ExternalError).hint}`;
      expect(text).toMatch(
        /DNS UPDATE \(add TXT _acme-challenge\.app\.example\.test\.\) in zone example\.test at 127\.0\.0\.1:\d+ failed: NOTAUTH \(TSIG BADSIG\)/,
      );
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(bind.secret);
    });

    it('reports a name in a zone the server does not serve', async () => {
      const err = await solverWith(bind.secret)
        .present('www.example.org', ch, 'x')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExternalError);
      expect((err as Error).message).toMatch(
        /cannot find the DNS zone of _acme-challenge\.www\.example\.org\. at 127\.0\.0\.1:\d+: .*REFUSED/,
      );
      await expect(
        solverWith(bind.secret, 'example.org').present('www.example.org', ch, 'x'),
      ).rejects.toThrow(/zone example\.org at 127\.0\.0\.1:\d+ failed: NOTAUTH/);
    });
  },
);
