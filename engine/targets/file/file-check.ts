// Reading a FileLayout back: verify after deploy, observe for drift, read back for adoption.
// File contents are untrusted (see ../pem.ts). A PKCS#12 file is read only through a
// Pkcs12Output (it needs the password); callers without one (nginx) skip it.
import { stat } from 'node:fs/promises';
import { ExternalError } from '../../errors.ts';
import {
  certificateBlocks,
  fingerprintOfPem,
  keyMatchesCertificate,
  tryFingerprint,
} from '../pem.ts';
import type { DeployBundle, Observation } from '../types.ts';
import { KEY_MODE, readIfExists } from './atomic.ts';
import { fsStep } from './file-ops.ts';
import type { FileKind, FileLayout } from './layout.ts';
import type { Pkcs12Output } from './pkcs12-output.ts';

type Texts = Partial<Record<FileKind, string>>;

/** The text of each layout file that exists (pkcs12 is binary and skipped). */
async function readTexts(layout: FileLayout): Promise<Texts> {
  const out: Texts = {};
  for (const [kind, file] of Object.entries(layout.files) as [FileKind, string][]) {
    if (kind === 'pkcs12') continue;
    const bytes = await fsStep('read', file, () => readIfExists(file));
    if (bytes !== undefined) out[kind] = bytes.toString('utf8');
  }
  return out;
}

const sameCerts = (a: string, b: string): boolean =>
  certificateBlocks(a).join('') === certificateBlocks(b).join('');

/**
 * Throws an ExternalError unless the files hold `bundle`: the leaf (cert file, or the fullchain's
 * first certificate) has the bundle's fingerprint, chain and fullchain carry the bundle's
 * intermediates, the key file matches the certificate, and the PKCS#12 file (with `pkcs12`)
 * decrypts to the bundle's leaf and chain; key and PKCS#12 files must have mode 0600.
 */
export async function verifyFiles(
  layout: FileLayout,
  bundle: DeployBundle,
  pkcs12?: Pkcs12Output,
): Promise<void> {
  const t = await readTexts(layout);
  for (const [kind, file] of Object.entries(layout.files) as [FileKind, string][]) {
    if (kind !== 'pkcs12' && t[kind] === undefined)
      throw new ExternalError(`${file} is missing after deploy`);
  }
  const want = bundle.fingerprintSha256.toLowerCase();
  for (const kind of ['cert', 'fullchain'] as const) {
    const text = t[kind];
    if (text === undefined) continue;
    const got = fingerprintOfPem(text, layout.files[kind] ?? kind);
    if (got !== want) {
      throw new ExternalError(`${layout.files[kind]} holds certificate ${got}, expected ${want}`, {
        hint: 'Another process may write to the same file; check for competing deploy tools.',
      });
    }
  }
  if (
    t.fullchain !== undefined &&
    !sameCerts(certificateBlocks(t.fullchain).slice(1).join(''), bundle.chainPem)
  ) {
    throw new ExternalError(`${layout.files.fullchain} does not carry the expected intermediates`);
  }
  if (t.chain !== undefined && !sameCerts(t.chain, bundle.chainPem)) {
    throw new ExternalError(`${layout.files.chain} does not hold the expected chain`);
  }
  if (t.key !== undefined && layout.files.key !== undefined) {
    const leaf = t.cert ?? t.fullchain ?? bundle.certificatePem;
    if (!keyMatchesCertificate(t.key, leaf)) {
      throw new ExternalError(
        `${layout.files.key} does not match the deployed certificate's public key`,
        {
          hint: 'The key and certificate files are out of step; deploy again.',
        },
      );
    }
    await checkSecretMode(layout.files.key);
  }
  const p12 = layout.files.pkcs12;
  if (p12 !== undefined && pkcs12 !== undefined) {
    const bytes = await fsStep('read', p12, () => readIfExists(p12));
    if (bytes === undefined) throw new ExternalError(`${p12} is missing after deploy`);
    await pkcs12.verify(bytes, bundle, p12);
    await checkSecretMode(p12);
  }
}

async function checkSecretMode(file: string): Promise<void> {
  const mode = (await fsStep('stat', file, () => stat(file))).mode & 0o777;
  if (mode !== KEY_MODE) {
    throw new ExternalError(`${file} has mode 0${mode.toString(8)}, expected 0600`);
  }
}

/** The PKCS#12 file's decrypted content, or undefined (absent, no reader, unreadable). */
async function readPkcs12(layout: FileLayout, pkcs12: Pkcs12Output | undefined) {
  const file = layout.files.pkcs12;
  if (file === undefined || pkcs12 === undefined) return undefined;
  const bytes = await readIfExists(file).catch(() => undefined);
  return bytes && (await pkcs12.read(bytes, file).catch(() => undefined));
}

/**
 * What the layout holds now: files present and the leaf's fingerprint (from the cert or
 * fullchain file, else from the PKCS#12 file when `pkcs12` can read it). Absence is not an error.
 */
export async function observeFiles(
  layout: FileLayout,
  pkcs12?: Pkcs12Output,
): Promise<Observation> {
  const t = await readTexts(layout);
  const files = (Object.keys(t) as FileKind[]).map((k) => layout.files[k] as string);
  const p12 = layout.files.pkcs12;
  if (p12 !== undefined && (await readIfExists(p12).catch(() => undefined))) files.push(p12);
  const leafText = t.cert ?? t.fullchain;
  const fingerprintSha256 =
    leafText === undefined
      ? (await readPkcs12(layout, pkcs12))?.fingerprintSha256
      : tryFingerprint(leafText);
  return fingerprintSha256 === undefined ? { files } : { fingerprintSha256, files };
}

/**
 * The deployed certificate, chain and key, when all three can be read and the key matches the
 * certificate (a mismatched pair must not spread to other targets); otherwise undefined. The
 * PEM files come first; the PKCS#12 file (with `pkcs12`) is used when they are incomplete.
 */
export async function readBackFiles(
  layout: FileLayout,
  pkcs12?: Pkcs12Output,
): Promise<{ certificatePem: string; chainPem: string; privateKeyPem: string } | undefined> {
  const t = await readTexts(layout);
  const full = t.fullchain === undefined ? undefined : certificateBlocks(t.fullchain);
  const certificatePem = t.cert !== undefined ? certificateBlocks(t.cert)[0] : full?.[0];
  const chainPem =
    t.chain !== undefined ? certificateBlocks(t.chain).join('') : full?.slice(1).join('');
  const privateKeyPem = t.key;
  if (certificatePem === undefined || chainPem === undefined || privateKeyPem === undefined) {
    const p = await readPkcs12(layout, pkcs12);
    return (
      p && {
        certificatePem: p.certificatePem,
        chainPem: p.chainPem,
        privateKeyPem: p.privateKeyPem,
      }
    );
  }
  if (!keyMatchesCertificate(privateKeyPem, certificatePem)) return undefined;
  return { certificatePem, chainPem, privateKeyPem };
}
