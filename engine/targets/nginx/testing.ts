// Test support: a real nginx on loopback, owned by the test that starts it.
//
//   const available = nginxAvailable();
//   describe.skipIf(!available)(`nginx (${available ? 'real' : NGINX_SKIP_REASON})`, () => {
//     let nginx: NginxInstance | undefined;
//     beforeAll(async () => { nginx = await startNginx({ certFile, keyFile }); });
//     afterAll(() => nginx?.stop());
//     // nginx.port serves TLS with certFile/keyFile; give nginx.configTestArgv and
//     // nginx.reloadArgv to an nginx target as spec.configTest and spec.reload.
//   });
//
// Each instance lives in its own temp prefix (nginx.conf, pid, error log, temp paths), listens on
// 127.0.0.1 at a port picked at run time, runs in the foreground (daemon off) as a child of the
// test process in its own process group, and is stopped by stop() (idempotent), or at the latest
// when the test process exits. The certificate files are read by nginx at start and reload only.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectOnce, freePort, nginxConf } from './testing-support.ts';

export const NGINX_SKIP_REASON = 'nginx is not installed (Debian: apt-get install nginx-light)';

export interface NginxInstance {
  /** TLS port on 127.0.0.1. */
  port: number;
  /** Plain-http port on 127.0.0.1, with the `http` option. */
  httpPort?: number;
  /** PID of the nginx master (a child of the test process, leading its own process group). */
  pid: number;
  /** The instance's private directory (nginx.conf, nginx.pid, error.log). */
  prefix: string;
  configFile: string;
  /** `nginx -t` for this instance: use as an nginx target's spec.configTest. */
  configTestArgv: [string, ...string[]];
  /** `nginx -s reload` for this instance: use as an nginx target's spec.reload. */
  reloadArgv: [string, ...string[]];
  /** The error log so far (startup, reload and TLS errors). */
  errorLog(): string;
  /** Stops nginx (master and workers) and deletes the prefix. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  certFile: string;
  keyFile: string;
  /** server_name of the TLS server block (default `_`, any name). */
  serverName?: string;
  /**
   * Adds a plain-http server block on 127.0.0.1 (an ACME http-01 front): at `port` (default: one
   * picked at run time), with `include` (a file or glob nginx must be able to load) inside it;
   * any other path answers 404.
   */
  http?: { port?: number; include?: string };
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Absolute path of the nginx binary (/usr/sbin is not on every user's PATH, so look there). */
export function nginxBinary(): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin']) {
    const candidate = path.join(dir, 'nginx');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** True when nginx is installed and runs (`nginx -v`). */
export function nginxAvailable(): boolean {
  const bin = nginxBinary();
  return (
    bin !== undefined && spawnSync(bin, ['-v'], { stdio: 'ignore', timeout: 5_000 }).status === 0
  );
}

/** Starts nginx serving certFile/keyFile over TLS 1.2 and 1.3; resolves once the port answers. */
export async function startNginx(opts: StartOptions): Promise<NginxInstance> {
  const bin = nginxBinary();
  if (bin === undefined) throw new Error(NGINX_SKIP_REASON);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const prefix = mkdtempSync(path.join(os.tmpdir(), 'certops-nginx-'));
    try {
      const { http, ...rest } = opts;
      const front = http && { ...http, port: http.port ?? (await freePort()) };
      return await startIn(bin, prefix, await freePort(), {
        ...rest,
        ...(front ? { http: front } : {}),
      });
    } catch (err) {
      rmSync(prefix, { recursive: true, force: true });
      lastError = err;
      if (!String(err).includes('Address already in use')) break; // the port was taken: retry
    }
  }
  throw lastError;
}

async function startIn(
  bin: string,
  prefix: string,
  port: number,
  opts: Omit<StartOptions, 'http'> & { http?: { port: number; include?: string } },
): Promise<NginxInstance> {
  const configFile = path.join(prefix, 'nginx.conf');
  const errorFile = path.join(prefix, 'error.log');
  writeFileSync(configFile, nginxConf({ prefix, port, ...opts }));
  const base = [bin, '-p', prefix, '-c', configFile, '-e', errorFile] as const;
  const child = spawn(bin, base.slice(1), { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(
    () => live.delete(child),
    () => {},
  );
  const errorLog = (): string => {
    try {
      return readFileSync(errorFile, 'utf8');
    } catch {
      return '';
    }
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM'); // fast shutdown: the master ends its workers, then itself
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  for (let waited = 0; ; waited += 25) {
    if (child.exitCode !== null || child.signalCode !== null || waited > 10_000) {
      const why = `${stderr}\n${errorLog()}`.trim();
      await stop();
      throw new Error(`nginx did not start on 127.0.0.1:${port}: ${why || 'no output'}`);
    }
    if ((await connectOnce(port)) && (!opts.http || (await connectOnce(opts.http.port)))) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    ...(opts.http ? { httpPort: opts.http.port } : {}),
    pid: child.pid ?? 0,
    prefix,
    configFile,
    configTestArgv: [...base, '-t'],
    reloadArgv: [...base, '-s', 'reload'],
    errorLog,
    stop,
  };
}
