// The demo's TLS endpoint (the "load balancer"): a real nginx when one is installed, otherwise
// the small built-in server in tls-endpoint.mjs. Either way the edge-nginx Target gets the
// config-test and reload commands that drive it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { nginxAvailable, startNginx } from '../targets/nginx/testing.ts';
import { freePort } from '../targets/nginx/testing-support.ts';

export interface Endpoint {
  kind: 'nginx' | 'built-in';
  port: number;
  configTestArgv: string[];
  reloadArgv: string[];
  stop(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('./tls-endpoint.mjs', import.meta.url));

export async function startEndpoint(
  certFile: string,
  keyFile: string,
  opts: { preferNginx: boolean },
): Promise<Endpoint> {
  if (opts.preferNginx && nginxAvailable()) {
    const n = await startNginx({ certFile, keyFile });
    return {
      kind: 'nginx',
      port: n.port,
      configTestArgv: n.configTestArgv,
      reloadArgv: n.reloadArgv,
      stop: () => n.stop(),
    };
  }
  const port = await freePort();
  const pidFile = `${certFile}.endpoint.pid`;
  const child = spawn(process.execPath, [SERVER, String(port), certFile, keyFile, pidFile], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let pid = 0;
  for (let i = 0; i < 100 && !pid; i++) {
    await sleep(50);
    try {
      pid = Number(readFileSync(pidFile, 'utf8'));
    } catch {
      // not listening yet
    }
  }
  if (!pid) {
    child.kill('SIGKILL');
    throw new Error('the built-in TLS endpoint did not start');
  }
  return {
    kind: 'built-in',
    port,
    configTestArgv: [process.execPath, SERVER, '--check', certFile, keyFile],
    reloadArgv: [process.execPath, '-e', `process.kill(${pid}, 'SIGHUP')`],
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
