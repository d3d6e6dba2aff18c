#!/usr/bin/env node
// A minimal TLS endpoint for `npm start` on machines without nginx: serves the certificate and
// key files it is given, re-reads them on SIGHUP (the "reload"), and with --check only verifies
// that the key matches the certificate (the "config test"). Plain JavaScript: runs with bare node.
//   node tls-endpoint.mjs <port> <fullchain.pem> <key.pem> <pidfile>
//   node tls-endpoint.mjs --check <fullchain.pem> <key.pem>
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:tls';

function load(certFile, keyFile) {
  const cert = readFileSync(certFile);
  const key = readFileSync(keyFile);
  const leaf = new X509Certificate(cert);
  const pub = createPublicKey(createPrivateKey(key)).export({ type: 'spki', format: 'der' });
  if (!leaf.publicKey.export({ type: 'spki', format: 'der' }).equals(pub)) {
    throw new Error(`key ${keyFile} does not match certificate ${certFile}`);
  }
  return { cert, key };
}

const args = process.argv.slice(2);
if (args[0] === '--check') {
  try {
    load(args[1], args[2]);
    console.log('tls-endpoint: configuration ok');
  } catch (e) {
    console.error(`tls-endpoint: ${e.message}`);
    process.exit(1);
  }
} else {
  const [port, certFile, keyFile, pidFile] = args;
  const server = createServer({ ...load(certFile, keyFile), minVersion: 'TLSv1.2' }, (s) =>
    s.end('certops demo endpoint\n'),
  );
  process.on('SIGHUP', () => {
    try {
      server.setSecureContext(load(certFile, keyFile));
    } catch (e) {
      console.error(
        `tls-endpoint: reload refused, still serving the previous certificate: ${e.message}`,
      );
    }
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  server.listen(Number(port), '127.0.0.1', () => writeFileSync(pidFile, String(process.pid)));
}
