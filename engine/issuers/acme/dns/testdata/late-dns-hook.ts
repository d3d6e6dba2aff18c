// Test hook for the exec dns-01 solver: a DNS API that accepts a change and applies it later.
// `present` returns at once and publishes the TXT record in bind9 1.5 s afterwards (from a
// detached child); `cleanup` deletes the record set. Server, zone and TSIG key come from the
// environment (HOOK_DNS_SERVER, HOOK_DNS_ZONE, HOOK_TSIG_NAME, HOOK_TSIG_SECRET).
import { spawn } from 'node:child_process';
import { systemClock } from '../../../../clock.ts';
import { update } from '../client.ts';
import { parseServer } from '../transport.ts';
import { CLASS, TYPE, txtRdata } from '../wire.ts';

const env = process.env;
const client = {
  server: parseServer(env.HOOK_DNS_SERVER ?? ''),
  clock: systemClock,
  key: {
    name: env.HOOK_TSIG_NAME ?? '',
    algorithm: 'hmac-sha256' as const,
    secret: Buffer.from(env.HOOK_TSIG_SECRET ?? '', 'base64'),
  },
};
const zone = env.HOOK_DNS_ZONE ?? '';
const record = (env.CERTOPS_ACME_RECORD ?? '').replace(/\.$/, '');

if (env.CERTOPS_ACME_ACTION === 'cleanup') {
  const rr = { name: record, type: TYPE.TXT, class: CLASS.ANY, ttl: 0, rdata: Buffer.alloc(0) };
  await update(client, zone, [rr], `delete ${record}`);
} else if (process.argv[2] !== 'later') {
  const args = [...process.execArgv, process.argv[1] ?? '', 'later'];
  spawn(process.execPath, args, { detached: true, stdio: 'ignore', env }).unref();
} else {
  await new Promise((r) => setTimeout(r, 1500));
  const value = env.CERTOPS_ACME_VALUE ?? '';
  const rr = { name: record, type: TYPE.TXT, class: CLASS.IN, ttl: 60, rdata: txtRdata(value) };
  await update(client, zone, [rr], `add ${record}`);
}
