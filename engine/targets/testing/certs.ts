// Test-only: EC P-256 certificates generated at test time (no committed private keys). A small CA
// issues leaves so bundles carry a real chain. Independent of engine/crypto on purpose.
import 'reflect-metadata';
import { X509Certificate as NodeX509, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { DeployBundle } from '../types.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface TestCa {
  certificatePem: string;
  keys: CryptoKeyPair;
  cert: x509.X509Certificate;
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const b64 = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE ${'KEY'}-----\n${b64.join('\n')}\n-----END PRIVATE ${'KEY'}-----\n`;
}

function serial(): string {
  return `01${Buffer.from(webcrypto.getRandomValues(new Uint8Array(15))).toString('hex')}`;
}

/** A self-signed test CA ("CN=certops test CA"). */
export async function makeTestCa(commonName = 'certops test CA'): Promise<TestCa> {
  const keys = await generateKeys();
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 30 * DAY),
    keys,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  });
  return { certificatePem: cert.toString('pem'), keys, cert };
}

let sharedCa: Promise<TestCa> | undefined;

/**
 * A deploy bundle for a fresh leaf (new key each call) issued by `ca` (default: one CA shared by
 * the test file). fingerprintSha256 is lower-case hex without colons, as the engine expects.
 */
export async function makeTestBundle(
  opts: { name?: string; dnsNames?: string[]; ca?: TestCa } = {},
): Promise<DeployBundle> {
  const ca = await (opts.ca ?? (sharedCa ??= makeTestCa()));
  const dnsNames = opts.dnsNames ?? ['web.example.test'];
  const keys = await generateKeys();
  const now = new Date();
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${dnsNames[0] ?? 'certops test'}`,
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 7 * DAY),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns', value }))),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  const certificatePem = leaf.toString('pem') + '\n';
  const node = new NodeX509(certificatePem);
  return {
    name: opts.name ?? 'web',
    certificatePem,
    chainPem: ca.certificatePem + '\n',
    fullchainPem: certificatePem + ca.certificatePem + '\n',
    privateKeyPem: await pkcs8Pem(keys.privateKey),
    serial: node.serialNumber.toLowerCase(),
    fingerprintSha256: fingerprintOf(certificatePem),
    notAfter: new Date(node.validTo).toISOString(),
    dnsNames,
  };
}

/** SHA-256 fingerprint of a PEM certificate, lower-case hex without colons. */
export function fingerprintOf(certificatePem: string): string {
  return new NodeX509(certificatePem).fingerprint256.replaceAll(':', '').toLowerCase();
}
