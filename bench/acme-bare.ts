// The baseline for the acme-100 benchmark: a bare acme-client script doing what certops does
// for each certificate — a new ECDSA P-256 key, a CSR, an order, http-01 on a responder,
// finalize, download, key and certificate written to files (key mode 0600) — `concurrency` at
// a time, with nothing else (no Git journal, no plan, no verification).
// Usage: tsx bench/acme-bare.ts <directoryUrl> <httpPort> <count> <concurrency> <outDir> <prefix>
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import acme from 'acme-client';
import { mapLimit } from '../engine/util/concurrency.ts';

const [directoryUrl, port, count, concurrency, outDir, prefix] = process.argv.slice(2);
if (!directoryUrl || !port || !count || !concurrency || !outDir || !prefix) {
  process.stderr.write(
    'usage: acme-bare <directoryUrl> <httpPort> <count> <concurrency> <outDir> <prefix>\n',
  );
  process.exit(2);
}

const answers = new Map<string, string>();
const server = createServer((req, res) => {
  const token = /^\/\.well-known\/acme-challenge\/([^/?#]+)$/.exec(req.url ?? '')?.[1];
  const body = token ? answers.get(token) : undefined;
  res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' });
  res.end(body ?? '');
});
await new Promise<void>((r) => server.listen(Number(port), '0.0.0.0', r));

const client = new acme.Client({
  directoryUrl,
  accountKey: await acme.crypto.createPrivateEcdsaKey('P-256'),
  backoffMin: 1000, // certops' defaults
  backoffMax: 10_000,
});
await client.createAccount({ termsOfServiceAgreed: true });
await mkdir(outDir, { recursive: true });

await mapLimit(
  Array.from({ length: Number(count) }, (_, i) => i),
  Number(concurrency),
  async (i) => {
    const name = `${prefix}${i}.example.com`;
    const key = await acme.crypto.createPrivateEcdsaKey('P-256');
    const [, csr] = await acme.crypto.createCsr({ commonName: name, altNames: [name] }, key);
    let order = await client.createOrder({ identifiers: [{ type: 'dns', value: name }] });
    for (const authz of await client.getAuthorizations(order)) {
      if (authz.status === 'valid') continue;
      const ch = authz.challenges.find((c) => c.type === 'http-01');
      if (!ch) throw new Error(`no http-01 for ${name}`);
      answers.set(ch.token, await client.getChallengeKeyAuthorization(ch));
      await client.completeChallenge(ch);
      await client.waitForValidStatus(ch);
      answers.delete(ch.token);
    }
    order = await client.finalizeOrder(order, csr);
    order = await client.waitForValidStatus(order);
    const pem = await client.getCertificate(order);
    await writeFile(path.join(outDir, `${prefix}${i}.key`), key, { mode: 0o600 });
    await writeFile(path.join(outDir, `${prefix}${i}.crt`), pem);
  },
);
server.close();
