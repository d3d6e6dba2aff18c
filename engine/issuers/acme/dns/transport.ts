// Sending one DNS message and receiving its answer. UDP with a timeout per try and a bounded
// number of tries, then TCP (2-octet length prefix, RFC 1035 §4.2.2) when the answer is
// truncated; TCP straight away when asked (UPDATEs: no duplicate on retry, no size limit).
// Packets that are not the answer (another id, another sender) are ignored, not trusted.
import { createSocket } from 'node:dgram';
import { isIP, Socket } from 'node:net';
import { ExternalError, UsageError } from '../../../errors.ts';
import { FLAG } from './wire.ts';

export interface Server {
  host: string;
  port: number;
}

export interface ExchangeOptions {
  /** Per try, in milliseconds. */
  timeoutMs: number;
  /** UDP tries before giving up. */
  tries: number;
  tcp?: boolean;
}

/** Sends `packet` to `server`; resolves with the raw answer (not yet decoded or trusted). */
export type Exchange = (
  server: Server,
  packet: Uint8Array,
  opts: ExchangeOptions,
) => Promise<Buffer>;

/** `host`, `host:port`, `[v6]` or `[v6]:port`; the port defaults to 53. Addresses only. */
export function parseServer(text: string): Server {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  const host = m?.[1] ?? text;
  const port = m?.[2] === undefined ? 53 : Number(m[2]);
  if (!m || isIP(host) === 0 || !(port >= 1 && port <= 65535))
    throw new UsageError(
      `nameserver "${text}" is not an IP address with an optional port`,
      'Write it as 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53.',
    );
  // The canonical form, as the socket reports a sender's address.
  const canonical = isIP(host) === 6 ? new URL(`http://[${host}]/`).hostname.slice(1, -1) : host;
  return { host: canonical, port };
}

export function serverText(s: Server): string {
  return isIP(s.host) === 6 ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`;
}

function unreachable(server: Server, why: string): ExternalError {
  return new ExternalError(`DNS server ${serverText(server)} ${why}`, {
    hint: 'Check the nameserver address and port, and that a firewall lets DNS through.',
  });
}

function udpOnce(
  server: Server,
  packet: Uint8Array,
  timeoutMs: number,
): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
    const done = (err: Error | undefined, answer?: Buffer): void => {
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(answer);
    };
    const timer = setTimeout(() => done(undefined, undefined), timeoutMs);
    sock.on('error', (e) => done(unreachable(server, `failed: ${e.message}`)));
    sock.on('message', (msg, from) => {
      if (from.port !== server.port || from.address !== server.host || msg.length < 2) return;
      if (msg.readUInt16BE(0) !== (((packet[0] as number) << 8) | (packet[1] as number))) return;
      done(undefined, msg);
    });
    sock.send(packet, server.port, server.host);
  });
}

function tcp(server: Server, packet: Uint8Array, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = new Socket();
    const chunks: Buffer[] = [];
    let have = 0;
    const finish = (err: Error | undefined, answer?: Buffer): void => {
      sock.destroy();
      if (err) reject(err);
      else resolve(answer as Buffer);
    };
    sock.setTimeout(timeoutMs, () =>
      finish(unreachable(server, 'did not answer over TCP in time')),
    );
    sock.on('error', (e) => finish(unreachable(server, `failed over TCP: ${e.message}`)));
    sock.on('data', (d) => {
      chunks.push(d);
      have += d.length;
      if (have < 2) return;
      const all = Buffer.concat(chunks);
      const len = all.readUInt16BE(0);
      if (all.length >= 2 + len) finish(undefined, all.subarray(2, 2 + len));
    });
    sock.on('end', () => finish(unreachable(server, 'closed the TCP connection before answering')));
    sock.connect(server.port, server.host, () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(packet.length);
      sock.write(Buffer.concat([len, packet]));
    });
  });
}

export const exchange: Exchange = async (server, packet, opts) => {
  if (opts.tcp) return tcp(server, packet, opts.timeoutMs);
  for (let i = 0; i < opts.tries; i++) {
    const answer = await udpOnce(server, packet, opts.timeoutMs);
    if (!answer) continue;
    if (answer.length >= 4 && (answer.readUInt16BE(2) & FLAG.TC) !== 0)
      return tcp(server, packet, opts.timeoutMs);
    return answer;
  }
  throw unreachable(server, `did not answer (${opts.tries} tries over UDP)`);
};
