// `certops init --ca`: creates the private CA, a root (20 years) and an intermediate (10 years,
// pathLen 0) that signs every leaf. Idempotent: an existing CA is returned unchanged. It writes
// only under <home>/ca/<issuer>/ (and the keyStore path), never into the repository.
import { promises as fs } from 'node:fs';
import type { Clock } from '../../clock.ts';
import { exportPrivateKeyPem } from '../../crypto/keys.ts';
import { FileKeyStore } from '../../crypto/keystore.ts';
import { pemEncode } from '../../crypto/pem.ts';
import { ensurePrivateDir, readFileNoFollow, writeFileAtomic } from '../../crypto/secure-fs.ts';
import type { KeyFactory, KeyPair, KeySpec } from '../../crypto/types.ts';
import { x509 } from '../../crypto/x509-lib.ts';
import { ExternalError } from '../../errors.ts';
import type { CaIssuerSpec } from '../../model/types.generated.ts';
import { keyIdentifier, signingAlgorithm, wholeSeconds } from '../sign.ts';
import { randomSerialHex } from '../serial.ts';
import { caPaths, INTERMEDIATE_KEY_ID, ROOT_KEY_ID } from './paths.ts';

export interface InitCaOptions {
  home: string;
  issuerName: string;
  spec: CaIssuerSpec;
  clock: Clock;
  keys: KeyFactory;
}

export interface InitCaResult {
  /** false when the CA already existed (nothing was written). */
  created: boolean;
  rootPem: string;
  intermediatePem: string;
  dir: string;
}

const ROOT_YEARS = 20;
const INTERMEDIATE_YEARS = 10;
const CA_KEY_USAGE = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;

export async function initCa(o: InitCaOptions): Promise<InitCaResult> {
  const paths = caPaths(o.home, o.issuerName, o.spec);
  const store = new FileKeyStore(paths.keyDir);
  const existing = await readFileNoFollow(paths.intermediateCert);
  const rootExisting = await readFileNoFollow(paths.rootCert);
  if (existing !== undefined) {
    if (rootExisting === undefined) {
      throw new ExternalError(`the CA in ${paths.dir} has an intermediate but no root.pem`, {
        hint: 'Restore root.pem from a backup; certops does not replace a CA that has signed.',
      });
    }
    return { created: false, rootPem: rootExisting, intermediatePem: existing, dir: paths.dir };
  }
  // No intermediate.pem: nothing was ever issued, so a half-written CA (a crash during an earlier
  // init) is replaced as a whole.
  const spec = caKeySpec(o.spec);
  const [rootKey, intKey] = [await o.keys.generate(spec), await o.keys.generate(spec)];
  const names = caNames(o.issuerName, o.spec);
  const now = wholeSeconds(o.clock.now());
  const root = await caCertificate(names.root, rootKey, names.root, rootKey, now, ROOT_YEARS);
  const inter = await caCertificate(
    names.intermediate,
    intKey,
    names.root,
    rootKey,
    now,
    INTERMEDIATE_YEARS,
    0,
  );
  await ensurePrivateDir(paths.dir);
  await store.put(ROOT_KEY_ID, await exportPrivateKeyPem(rootKey.privateKey));
  await store.put(INTERMEDIATE_KEY_ID, await exportPrivateKeyPem(intKey.privateKey));
  await writeFileAtomic(paths.rootCert, root, 0o600);
  await writeFileAtomic(paths.intermediateCert, inter, 0o600); // last: marks the CA complete
  await Promise.all([ensurePrivateDir(paths.issuedDir), ensurePrivateDir(paths.serialsDir)]);
  return { created: true, rootPem: root, intermediatePem: inter, dir: paths.dir };
}

/** The CA key: spec.privateKey, default ECDSA P-384 (RSA default 3072 bits). */
export function caKeySpec(spec: CaIssuerSpec): KeySpec {
  const algorithm = spec.privateKey?.algorithm ?? 'ECDSA';
  if (algorithm === 'Ed25519') return { algorithm };
  return { algorithm, size: spec.privateKey?.size ?? (algorithm === 'ECDSA' ? 384 : 3072) };
}

/** Root and intermediate names must differ, or chain building cannot tell them apart. */
export function caNames(
  issuerName: string,
  spec: CaIssuerSpec,
): { root: x509.JsonName; intermediate: x509.JsonName } {
  const cn = spec.subject?.commonName;
  const rootCn = cn ?? `${issuerName} Root CA`;
  const intCn =
    cn === undefined ? `${issuerName} Intermediate CA` : `${cn.slice(0, 51)} Intermediate`;
  const base: x509.JsonName = [];
  if (spec.subject?.country) base.push({ C: [spec.subject.country] });
  if (spec.subject?.organization) base.push({ O: [spec.subject.organization] });
  return { root: [...base, { CN: [rootCn] }], intermediate: [...base, { CN: [intCn] }] };
}

async function caCertificate(
  subject: x509.JsonName,
  subjectKey: KeyPair,
  issuer: x509.JsonName,
  issuerKey: KeyPair,
  notBefore: Date,
  years: number,
  pathLength?: number,
): Promise<string> {
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject,
    issuer,
    notBefore,
    notAfter,
    publicKey: subjectKey.publicKey,
    signingKey: issuerKey.privateKey,
    signingAlgorithm: signingAlgorithm(issuerKey.spec),
    extensions: [
      new x509.BasicConstraintsExtension(true, pathLength, true),
      new x509.KeyUsagesExtension(CA_KEY_USAGE, true),
      new x509.SubjectKeyIdentifierExtension(await keyIdentifier(subjectKey.publicKey)),
      new x509.AuthorityKeyIdentifierExtension(await keyIdentifier(issuerKey.publicKey)),
    ],
  });
  return pemEncode('CERTIFICATE', new Uint8Array(cert.rawData));
}

/** True when the CA of `issuerName` exists (its intermediate certificate is in place). */
export async function caExists(home: string, issuerName: string): Promise<boolean> {
  return fs
    .access(caPaths(home, issuerName).intermediateCert)
    .then(() => true)
    .catch(() => false);
}
