// Pieces of the nginx test support (testing.ts): its configuration and loopback port helpers.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A port that was free a moment ago (the caller retries if nginx finds it taken). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function connectOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

/** nginx.conf for one TLS server on 127.0.0.1:port; every writable path lies inside `prefix`. */
export function nginxConf(o: {
  prefix: string;
  port: number;
  certFile: string;
  keyFile: string;
  serverName?: string;
  http?: { port: number; include?: string };
}): string {
  const q = (s: string): string => JSON.stringify(s); // nginx accepts double-quoted strings
  const p = (name: string): string => q(`${o.prefix}/${name}`);
  return `daemon off;
master_process on;
worker_processes 1;
pid ${p('nginx.pid')};
error_log ${p('error.log')} notice;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${p('client_body')};
  proxy_temp_path ${p('proxy')};
  fastcgi_temp_path ${p('fastcgi')};
  uwsgi_temp_path ${p('uwsgi')};
  scgi_temp_path ${p('scgi')};
  server {
    listen 127.0.0.1:${o.port} ssl;
    server_name ${q(o.serverName ?? '_')};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_certificate ${q(o.certFile)};
    ssl_certificate_key ${q(o.keyFile)};
    location / { return 200 "certops test nginx\\n"; }
  }
${o.http ? httpServer(o.http, q) : ''}}
`;
}

/** A plain-http server (an ACME http-01 front): `include` inside it, 404 for anything else. */
function httpServer(h: { port: number; include?: string }, q: (s: string) => string): string {
  return `  server {
    listen 127.0.0.1:${h.port};
    server_name _;
${h.include === undefined ? '' : `    include ${q(h.include)};\n`}    location / { return 404; }
  }
`;
}
