// encodePkcs12 checked against independent readers: the openssl CLI and Node's TLS stack (both
// OpenSSL 3), and decodePkcs12 against files openssl wrote. Keys are EC (fast) except one RSA
// fixture key, compared by modulus.
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createSecureContext, createServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalError } from '../errors.ts';
import { decodePkcs12 } from './pkcs12-decode.ts';
import { encodePkcs12 } from './pkcs12.ts';
import { rsaFixturePem } from './testing.ts';

const PASSWORD = 'correct horse 42';
let dir: string;
const at = (f: string) => join(dir, f);
const read = (f: string) => readFileSync(at(f), 'utf8');
const ossl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2'];
const CA = ['-addext', 'basicConstraints=critical,CA:TRUE'];

/** openssl pkcs12 reading `file`, password passed through the environment. */
function opensslRead(file: string, password: string, ...args: string[]) {
  const r = spawnSync('openssl', ['pkcs12', '-in', file, '-passin', 'env:P12_PASS', ...args], {
    env: { ...process.env, P12_PASS: password },
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const blocks = (text: string, label: string) =>
  text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g')) ?? [];
const fp = (pem: string) => new X509Certificate(pem).fingerprint256;
const spki = (keyPem: string) => createPublicKey(keyPem).export({ type: 'spki', format: 'der' });

let input: { certificatePem: string; chainPem: string; privateKeyPem: string };
let p12: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'certops-p12-'));
  ossl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    at('root.key'),
    '-out',
    at('root.pem'),
    '-subj',
    '/CN=root',
    ...CA,
  );
  const sub = (name: string, ca: string, ext: string[]) =>
    ossl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      at(`${name}.key`),
      '-out',
      at(`${name}.pem`),
      '-subj',
      `/CN=${name}`,
      '-CA',
      at(`${ca}.pem`),
      '-CAkey',
      at(`${ca}.key`),
      ...ext,
    );
  sub('int', 'root', CA);
  sub('leaf', 'int', ['-addext', 'subjectAltName=DNS:web.example.test']);
  input = {
    certificatePem: read('leaf.pem'),
    chainPem: read('int.pem') + read('root.pem'),
    privateKeyPem: read('leaf.key'),
  };
  p12 = at('web.p12');
  writeFileSync(p12, await encodePkcs12({ ...input, password: PASSWORD, friendlyName: 'web' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('encodePkcs12, read by openssl', () => {
  it('holds the leaf then the chain, with OpenSSL 3 default algorithms', () => {
    const r = opensslRead(p12, PASSWORD, '-info', '-nokeys');
    expect(r.status).toBe(0);
    expect(blocks(r.out, 'CERTIFICATE').map(fp)).toEqual(
      [read('leaf.pem'), read('int.pem'), read('root.pem')].map(fp),
    );
    expect(r.err).toContain('MAC: sha256, Iteration 2048');
    expect(r.err).toContain(
      'PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256',
    );
    expect(r.err).toContain(
      'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256',
    );
  });

  it('gives back the private key, linked to the leaf by localKeyID and named', () => {
    const r = opensslRead(p12, PASSWORD, '-nodes');
    expect(r.status).toBe(0);
    const [key] = blocks(r.out, 'PRIVATE KEY');
    expect(spki(key as string).equals(spki(input.privateKeyPem))).toBe(true);
    const ids = r.out.match(/localKeyID: ([0-9A-F ]+)/g) ?? [];
    expect(ids).toHaveLength(2); // leaf bag and key bag, nothing on the chain
    expect(ids[0]).toBe(ids[1]);
    expect(r.out.match(/friendlyName: web/g)).toHaveLength(2);
  });

  it('gives back an RSA key with the same modulus', async () => {
    writeFileSync(at('rsa.key'), rsaFixturePem(2048));
    ossl(
      'req',
      '-x509',
      '-key',
      at('rsa.key'),
      '-out',
      at('rsa.pem'),
      '-subj',
      '/CN=rsa',
      '-days',
      '2',
    );
    const file = at('rsa.p12');
    const pem = { certificatePem: read('rsa.pem'), chainPem: '', privateKeyPem: read('rsa.key') };
    writeFileSync(file, await encodePkcs12({ ...pem, password: PASSWORD }));
    const r = opensslRead(file, PASSWORD, '-nodes');
    expect(r.status).toBe(0);
    const modulus = (args: string[], input: string) =>
      execFileSync('openssl', [...args, '-noout', '-modulus'], { input, encoding: 'utf8' });
    const expected = modulus(['rsa'], pem.privateKeyPem);
    expect(modulus(['rsa'], blocks(r.out, 'PRIVATE KEY')[0] as string)).toBe(expected);
    expect(blocks(r.out, 'CERTIFICATE').map(fp)).toEqual([fp(pem.certificatePem)]);
  });

  it('fails the MAC with a wrong password', () => {
    const r = opensslRead(p12, 'wrong password', '-info', '-nokeys');
    expect(r.status).not.toBe(0);
    expect(r.err).toMatch(/Mac verify error/);
  });

  it('takes non-ASCII passwords as openssl does (UTF-8 for PBES2, BMP for the MAC); long names', async () => {
    const file = at('unicode.p12');
    const friendlyName = `web-${'x'.repeat(70)}`; // 148 BMP bytes: a two-byte DER length
    writeFileSync(file, await encodePkcs12({ ...input, password: 'pässwörd €', friendlyName }));
    const r = opensslRead(file, 'pässwörd €', '-nodes');
    expect(r.status).toBe(0);
    expect(r.out).toContain(`friendlyName: ${friendlyName}`);
    expect(opensslRead(file, 'passwort', '-nodes').status).not.toBe(0);
  });
});

describe('encodePkcs12, loaded by Node', () => {
  it('is accepted by tls.createSecureContext with the passphrase, refused without', () => {
    const pfx = readFileSync(p12);
    expect(() => createSecureContext({ pfx, passphrase: PASSWORD })).not.toThrow();
    expect(() => createSecureContext({ pfx, passphrase: 'nope' })).toThrow(/mac verify/i);
  });

  it('serves TLS with the certificate and key from the file', async () => {
    const server = createServer({ pfx: readFileSync(p12), passphrase: PASSWORD }, (s) => s.end());
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as { port: number };
    try {
      const served = await new Promise<string>((ok, fail) => {
        const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
          ok(socket.getPeerCertificate().fingerprint256);
          socket.destroy();
        });
        socket.on('error', fail);
      });
      expect(served).toBe(fp(input.certificatePem));
    } finally {
      server.close();
    }
  });
});

describe('decodePkcs12', () => {
  it('reads back what encodePkcs12 wrote', async () => {
    const got = await decodePkcs12(readFileSync(p12), PASSWORD);
    expect(fp(new X509Certificate(got.leaf as Uint8Array).toString())).toBe(
      fp(input.certificatePem),
    );
    expect(got.chain.map((c) => new X509Certificate(c).fingerprint256)).toEqual(
      [read('int.pem'), read('root.pem')].map(fp),
    );
    const key = createPublicKey(
      createPrivateKey({
        key: Buffer.from(got.privateKeys[0] as Uint8Array),
        format: 'der',
        type: 'pkcs8',
      }),
    );
    expect(key.export({ type: 'spki', format: 'der' }).equals(spki(input.privateKeyPem))).toBe(
      true,
    );
  });

  it('reads a file openssl wrote (8-byte salts, chain as separate bags)', async () => {
    writeFileSync(at('chain.pem'), input.chainPem);
    ossl(
      'pkcs12',
      '-export',
      '-in',
      at('leaf.pem'),
      '-inkey',
      at('leaf.key'),
      '-certfile',
      at('chain.pem'),
      '-out',
      at('openssl.p12'),
      '-passout',
      `pass:${PASSWORD}`,
    );
    const got = await decodePkcs12(readFileSync(at('openssl.p12')), PASSWORD);
    expect(new X509Certificate(got.leaf as Uint8Array).fingerprint256).toBe(
      fp(input.certificatePem),
    );
    expect(got.certificates).toHaveLength(3);
    expect(got.privateKeys).toHaveLength(1);
  });

  it('refuses a changed byte and a wrong password without echoing the password', async () => {
    const bytes = readFileSync(p12);
    const mid = Math.floor(bytes.length / 2); // inside the encrypted certificates
    bytes.writeUInt8(bytes.readUInt8(mid) ^ 0x01, mid);
    await expect(decodePkcs12(bytes, PASSWORD, 'web.p12')).rejects.toThrow(
      /^web\.p12: MAC verification failed/,
    );
    const err = await decodePkcs12(readFileSync(p12), 'hunter2-wrong').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect(
      JSON.stringify([(err as ExternalError).message, (err as ExternalError).hint]),
    ).not.toContain('hunter2');
    await expect(decodePkcs12(new Uint8Array([0x30, 0x00]), PASSWORD)).rejects.toThrow(
      /not a readable PKCS#12 file/,
    );
  });
});

describe('encodePkcs12 refuses bad input', () => {
  it("a key that is not the certificate's, an empty password, absurd iterations", async () => {
    const other = { ...input, privateKeyPem: read('int.key') };
    await expect(encodePkcs12({ ...other, password: PASSWORD })).rejects.toThrow(
      'the private key does not match the certificate for the PKCS#12 file',
    );
    await expect(encodePkcs12({ ...input, password: '' })).rejects.toThrow('password is empty');
    await expect(encodePkcs12({ ...input, password: PASSWORD, iterations: 0 })).rejects.toThrow(
      /iterations must be 1 to/,
    );
  });

  it('writes different bytes each time (random salts and IVs)', async () => {
    const a = await encodePkcs12({ ...input, password: PASSWORD, iterations: 1 });
    const b = await encodePkcs12({ ...input, password: PASSWORD, iterations: 1 });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});
