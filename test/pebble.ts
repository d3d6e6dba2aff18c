// A real ACME server for tests: Debian's pebble (Let's Encrypt's RFC 8555 test server) and
// pebble-challtestsrv as its DNS, on loopback ports picked at run time, so suites run in
// parallel. pebble regenerates its root and intermediate at every start; `roots` holds the PEM
// fetched after start. Every process started is stopped by `stop()`.
//
// Layout: pebble's VA connects to `httpPort` on 127.0.0.1 for http-01 (the test serves the
// token there); challtestsrv answers every A query with 127.0.0.1 and holds dns-01 TXT records
// set through its management API (`setTxt`/`clearTxt`). With `dnsServer`, pebble resolves
// through that server instead (a real bind9, test/bind9.ts) and challtestsrv is not started.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, createServer as createHttpsServer, request } from 'node:https';
import type { RequestListener } from 'node:http';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const PEBBLE = '/usr/bin/pebble';
export const CHALLTESTSRV = '/usr/bin/pebble-challtestsrv';

/** Why pebble cannot run here, or undefined when it can (for visible skips). */
export function pebbleMissing(): string | undefined {
  return existsSync(PEBBLE) && existsSync(CHALLTESTSRV)
    ? undefined
    : 'pebble is not installed (apt-get install pebble; .ci/run does)';
}

export interface Pebble {
  directoryUrl: string;
  /** pebble's HTTPS listener's own CA (self-signed, made for this run): trust it for the API. */
  apiCa: string;
  /** Its private key, for a loopback stand-in that must look like pebble (ARI tests). */
  apiKey: string;
  /** Agent trusting `apiCa`, for requests to the ACME API. */
  agent: Agent;
  /** The issuing root of this run (PEM). */
  roots: string;
  /** Where pebble's VA fetches http-01 tokens (127.0.0.1). */
  httpPort: number;
  /** challtestsrv's management API (POST /set-txt {host, value}, /clear-txt {host}). */
  dnsManagementUrl: string;
  /** pebble's view of a certificate by serial (hex): its status and, once revoked, reason. */
  certStatus(serial: string): Promise<{ Status: string; Reason?: number }>;
  setTxt(host: string, value: string): Promise<void>;
  clearTxt(host: string): Promise<void>;
  stop(): Promise<void>;
}

export interface PebbleOptions {
  /**
   * PEBBLE_WFE_NONCEREJECT: percentage of nonces rejected as bad. Default: 0, or
   * $CERTOPS_TEST_NONCE_REJECT (the `acme-badnonce` test project runs every ACME suite at 5).
   */
  nonceReject?: number;
  /** Require External Account Binding with this key id and base64url HMAC key. */
  eab?: { kid: string; hmacKey: string };
  /** `host:port` of the DNS server pebble uses instead of challtestsrv. */
  dnsServer?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

function get(url: string, agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.end();
  });
}

function post(port: number, route: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = httpRequest(
      { host: '127.0.0.1', port, path: route, method: 'POST', timeout: 2000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => p.kill('SIGKILL'), 3000);
    p.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

/** Starts challtestsrv and pebble; resolves once the directory answers and the roots are read. */
export async function startPebble(opts: PebbleOptions = {}): Promise<Pebble> {
  const dir = await mkdtemp(path.join(tmpdir(), 'certops-pebble-'));
  const [api, mgmt, httpPort, tlsPort, dns, dnsMgmt] = (await Promise.all(
    Array.from({ length: 6 }, freePort),
  )) as [number, number, number, number, number, number];
  // pebble's HTTPS listener needs a certificate; a self-signed one made for this run.
  const key = path.join(dir, 'api.key');
  const cert = path.join(dir, 'api.crt');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=pebble api',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' }); // prettier-ignore
  const config = path.join(dir, 'pebble.json');
  await writeFile(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${api}`,
        managementListenAddress: `127.0.0.1:${mgmt}`,
        certificate: cert,
        privateKey: key,
        httpPort,
        tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: opts.eab !== undefined,
        ...(opts.eab ? { externalAccountMACKeys: { [opts.eab.kid]: opts.eab.hmacKey } } : {}),
      },
    }),
  );
  const procs: ChildProcess[] = [];
  const logs: string[] = [];
  const spawnLogged = (cmd: string, args: string[], env: Record<string, string> = {}) => {
    const p = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const keep = (d: Buffer) => logs.push(d.toString()) > 200 && logs.shift();
    p.stdout?.on('data', keep);
    p.stderr?.on('data', keep);
    procs.push(p);
    return p;
  };
  const stop = async (): Promise<void> => {
    await Promise.all(procs.map(stopProcess));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    if (!opts.dnsServer)
      spawnLogged(CHALLTESTSRV, [
        '-dns01', `127.0.0.1:${dns}`, '-http01', '', '-https01', '', '-tlsalpn01', '',
        '-management', `127.0.0.1:${dnsMgmt}`, '-defaultIPv6', '', '-defaultIPv4', '127.0.0.1',
      ]); // prettier-ignore
    const dnsServer = opts.dnsServer ?? `127.0.0.1:${dns}`;
    spawnLogged(PEBBLE, ['-config', config, '-dnsserver', dnsServer, '-strict=false'], {
      PEBBLE_VA_NOSLEEP: '1',
      PEBBLE_WFE_NONCEREJECT: String(
        opts.nonceReject ?? Number(process.env.CERTOPS_TEST_NONCE_REJECT ?? 0),
      ),
    });
    const { readFile } = await import('node:fs/promises');
    const apiCa = await readFile(cert, 'utf8');
    const apiKey = await readFile(key, 'utf8');
    const agent = new Agent({ ca: apiCa });
    const directoryUrl = `https://127.0.0.1:${api}/dir`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const dead = procs.find((p) => p.exitCode !== null);
      if (dead) throw new Error(`pebble exited early:\n${logs.join('')}`);
      const ok = await get(directoryUrl, agent).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`pebble did not start:\n${logs.join('')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const roots = (await get(`https://127.0.0.1:${mgmt}/roots/0`, agent)).body;
    return {
      directoryUrl,
      apiCa,
      apiKey,
      agent,
      roots,
      httpPort,
      dnsManagementUrl: `http://127.0.0.1:${dnsMgmt}`,
      certStatus: async (serial) => {
        const r = await get(`https://127.0.0.1:${mgmt}/cert-status-by-serial/${serial}`, agent);
        if (r.status !== 200) throw new Error(`pebble cert-status ${serial}: HTTP ${r.status}`);
        return JSON.parse(r.body) as { Status: string; Reason?: number };
      },
      setTxt: async (host, value) => {
        if (opts.dnsServer) throw new Error('no challtestsrv: pebble resolves through dnsServer');
        const s = await post(dnsMgmt, '/set-txt', { host, value });
        if (s !== 200) throw new Error(`challtestsrv set-txt: HTTP ${s}`);
      },
      clearTxt: async (host) => {
        if (opts.dnsServer) throw new Error('no challtestsrv: pebble resolves through dnsServer');
        const s = await post(dnsMgmt, '/clear-txt', { host });
        if (s !== 200) throw new Error(`challtestsrv clear-txt: HTTP ${s}`);
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

export interface StandIn {
  /** https://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback HTTPS server presenting pebble's own API certificate (so a client trusting pebble
 * trusts it), for stand-ins that serve pebble's directory with something changed (ARI,
 * profiles, a newNonce that answers 429/503) while signed requests still go to pebble.
 */
export async function pebbleStandIn(p: Pebble, handler: RequestListener): Promise<StandIn> {
  const server = createHttpsServer({ key: p.apiKey, cert: p.apiCa }, handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `https://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
