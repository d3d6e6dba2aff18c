// A real authoritative DNS server for tests: Debian's bind9 (`named -g`, foreground) on
// 127.0.0.1 at a port picked at run time (free for both UDP and TCP), serving primary zones
// (one by default) that accept RFC 2136 updates of TXT records signed with a TSIG key made for
// this run.
// Everything lives in a temp directory; `stop()` kills named and removes it.
//
// Each zone: SOA and NS (ns.<zone>), `ns` and `*` A 127.0.0.1, so every name in it resolves to
// loopback (pebble's http-01 and dns-01 both work through it).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixedClock } from '../engine/clock.ts';
import { query } from '../engine/issuers/acme/dns/client.ts';
import { TYPE } from '../engine/issuers/acme/dns/wire.ts';

export const NAMED = '/usr/sbin/named';

/** Why bind9 cannot run here, or undefined when it can (for visible skips). */
export function bind9Missing(): string | undefined {
  return existsSync(NAMED)
    ? undefined
    : 'bind9 is not installed (apt-get install bind9; .ci/run does)';
}

export interface Bind9 {
  port: number;
  /** `127.0.0.1:<port>`. */
  nameserver: string;
  /** The first of `zones`. */
  zone: string;
  zones: string[];
  keyName: string;
  algorithm: 'hmac-sha256';
  /** Base64, as in a bind key statement. */
  secret: string;
  stop(): Promise<void>;
}

/** A port free for TCP and UDP on 127.0.0.1 at the moment of asking. */
async function freeDnsPort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() =>
          typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port')),
        );
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

const zoneFile = (zone: string): string => `$TTL 60
@ IN SOA ns.${zone}. hostmaster.${zone}. 1 3600 600 86400 60
@ IN NS ns.${zone}.
ns IN A 127.0.0.1
* IN A 127.0.0.1
`;

export async function startBind9(zoneOrZones: string | string[] = 'example.test'): Promise<Bind9> {
  const zones = typeof zoneOrZones === 'string' ? [zoneOrZones] : zoneOrZones;
  const zone = zones[0];
  if (zone === undefined) throw new Error('startBind9: no zone');
  const dir = await mkdtemp(path.join(tmpdir(), 'certops-bind9-'));
  const port = await freeDnsPort();
  const keyName = 'certops-test-key';
  const secret = randomBytes(32).toString('base64');
  await writeFile(
    path.join(dir, 'named.conf'),
    `options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  session-keyfile "${dir}/session.key";
  managed-keys-directory "${dir}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  notify no;
};
controls { };
key "${keyName}" { algorithm hmac-sha256; secret "${secret}"; };
${zones
  .map(
    (z) => `zone "${z}" {
  type primary;
  file "${dir}/${z}.db";
  update-policy { grant ${keyName} zonesub TXT; };
};
`,
  )
  .join('')}`,
  );
  for (const z of zones) await writeFile(path.join(dir, `${z}.db`), zoneFile(z));
  const logs: string[] = [];
  // -n 1: one worker thread is plenty and spares a shared 2-core machine.
  const named: ChildProcess = spawn(NAMED, ['-g', '-n', '1', '-c', `${dir}/named.conf`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer): void => void (logs.push(d.toString()) > 200 && logs.shift());
  named.stdout?.on('data', keep);
  named.stderr?.on('data', keep);
  const stop = async (): Promise<void> => {
    if (named.exitCode === null && named.signalCode === null)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => named.kill('SIGKILL'), 3000);
        named.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        named.kill('SIGTERM');
      });
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const client = { server: { host: '127.0.0.1', port }, clock: fixedClock(new Date()) };
    const deadline = performance.now() + 10_000;
    for (;;) {
      if (named.exitCode !== null) throw new Error(`named exited early:\n${logs.join('')}`);
      const soa = (z: string): Promise<boolean> =>
        query({ ...client, timeoutMs: 200, tries: 1 }, z, TYPE.SOA).then(
          (m) => m.answers.some((a) => a.type === TYPE.SOA),
          () => false,
        );
      if ((await Promise.all(zones.map(soa))).every(Boolean)) break;
      if (performance.now() > deadline) throw new Error(`named did not start:\n${logs.join('')}`);
      await new Promise((r) => setTimeout(r, 30));
    }
    return {
      port,
      nameserver: `127.0.0.1:${port}`,
      zone,
      zones,
      keyName,
      algorithm: 'hmac-sha256',
      secret,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
