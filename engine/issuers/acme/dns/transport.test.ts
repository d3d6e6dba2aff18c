// The transport against loopback stand-ins: a UDP server that drops the first try, answers
// with a stranger's id first, or sets TC, and a TCP server behind it for the retry.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../errors.ts';
import { exchange, parseServer, serverText } from './transport.ts';
import { encodeMessage, FLAG } from './wire.ts';

const open: Array<UdpSocket | TcpServer> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

const packet = (id: number, flags = 0) => encodeMessage({ id, flags, questions: [] });

async function udpServer(onPacket: (msg: Buffer, reply: (b: Buffer) => void, n: number) => void) {
  const s = createSocket('udp4');
  open.push(s);
  let n = 0;
  s.on('message', (msg, from) => onPacket(msg, (b) => s.send(b, from.port, from.address), ++n));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return s.address().port;
}

describe('transport', () => {
  it('parses nameserver addresses with a default port of 53', () => {
    expect(parseServer('192.0.2.1')).toEqual({ host: '192.0.2.1', port: 53 });
    expect(parseServer('192.0.2.1:5353')).toEqual({ host: '192.0.2.1', port: 5353 });
    expect(serverText(parseServer('[2001:DB8:0::1]:53'))).toBe('[2001:db8::1]:53');
    expect(() => parseServer('ns1.example.com')).toThrow(UsageError);
    expect(() => parseServer('192.0.2.1:70000')).toThrow(/not an IP address/);
  });

  it('retries over UDP and ignores answers with another id', async () => {
    const port = await udpServer((msg, reply, n) => {
      if (n === 1) return; // the first try is lost
      reply(packet(msg.readUInt16BE(0) ^ 1, FLAG.QR)); // a stranger's answer first
      reply(packet(msg.readUInt16BE(0), FLAG.QR));
    });
    const got = await exchange({ host: '127.0.0.1', port }, packet(7), {
      timeoutMs: 100,
      tries: 3,
    });
    expect(got.readUInt16BE(0)).toBe(7);
  });

  it('gives up after the tries with an error naming the server', async () => {
    const port = await udpServer(() => undefined);
    await expect(
      exchange({ host: '127.0.0.1', port }, packet(7), { timeoutMs: 50, tries: 2 }),
    ).rejects.toThrow(`DNS server 127.0.0.1:${port} did not answer (2 tries over UDP)`);
  });

  it('repeats a truncated answer over TCP with a length prefix', async () => {
    const tcp = createServer((sock) => {
      sock.once('data', (d) => {
        const id = d.readUInt16BE(2);
        const body = packet(id, FLAG.QR | 0x0400);
        const len = Buffer.alloc(2);
        len.writeUInt16BE(body.length);
        // In two pieces, as TCP may deliver it.
        sock.write(Buffer.concat([len, body.subarray(0, 3)]));
        setTimeout(() => sock.end(body.subarray(3)), 10);
      });
    });
    open.push(tcp);
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const port = (tcp.address() as { port: number }).port;
    const udp = createSocket('udp4');
    open.push(udp);
    udp.on('message', (msg, from) =>
      udp.send(packet(msg.readUInt16BE(0), FLAG.QR | FLAG.TC), from.port, from.address),
    );
    await new Promise<void>((r) => udp.bind(port, '127.0.0.1', r));
    const got = await exchange({ host: '127.0.0.1', port }, packet(9), {
      timeoutMs: 500,
      tries: 1,
    });
    expect(got.readUInt16BE(2) & (FLAG.TC | 0x0400)).toBe(0x0400);
  });
});
