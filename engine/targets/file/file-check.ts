// Reading a FileLayout back: verify after deploy, observe for drift, read back for adoption.
// File contents are untrusted (see ../pem.ts).
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
 * intermediates, and the key file matches the certificate and has mode 0600.
 */
export async function verifyFiles(layout: FileLayout, bundle: DeployBundle): Promise<void> {
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
    const keyFile = layout.files.key;
    const mode = (await fsStep('stat', keyFile, () => stat(keyFile))).mode & 0o777;
    if (mode !== KEY_MODE) {
      throw new ExternalError(`${keyFile} has mode 0${mode.toString(8)}, expected 0600`);
    }
  }
}

/** What the layout holds now: files present and the leaf's fingerprint. Absence is not an error. */
export async function observeFiles(layout: FileLayout): Promise<Observation> {
  const t = await readTexts(layout);
  const files = (Object.keys(t) as FileKind[]).map((k) => layout.files[k] as string);
  const leafText = t.cert ?? t.fullchain;
  const fingerprintSha256 = leafText === undefined ? undefined : tryFingerprint(leafText);
  return fingerprintSha256 === undefined ? { files } : { fingerprintSha256, files };
}

/**
 * The deployed certificate, chain and key, when all three can be read and the key matches the
 * certificate (a mismatched pair must not spread to other targets); otherwise undefined.
 */
export async function readBackFiles(
  layout: FileLayout,
): Promise<{ certificatePem: string; chainPem: string; privateKeyPem: string } | undefined> {
  const t = await readTexts(layout);
  const full = t.fullchain === undefined ? undefined : certificateBlocks(t.fullchain);
  const certificatePem = t.cert !== undefined ? certificateBlocks(t.cert)[0] : full?.[0];
  const chainPem =
    t.chain !== undefined ? certificateBlocks(t.chain).join('') : full?.slice(1).join('');
  const privateKeyPem = t.key;
  if (certificatePem === undefined || chainPem === undefined || privateKeyPem === undefined)
    return undefined;
  if (!keyMatchesCertificate(privateKeyPem, certificatePem)) return undefined;
  return { certificatePem, chainPem, privateKeyPem };
}
