// PKCS#12 output for the file target: the password comes from spec.pkcs12Password through
// ctx.secrets (resolved at most once per Pkcs12Output, only when a pkcs12 file is involved), the
// file is encoded by crypto/pkcs12.ts and read back by crypto/pkcs12-decode.ts. The password is
// never part of a message; file contents are untrusted when read back.
import { createHash } from 'node:crypto';
import { pemBlocks, pemEncode } from '../../crypto/pem.ts';
import { CertopsError, ExternalError } from '../../errors.ts';
import { specOf } from '../spec.ts';
import type { DeployBundle, TargetContext } from '../types.ts';
import type { Pkcs12Writer } from './contents.ts';

export interface Pkcs12Material {
  certificatePem: string;
  chainPem: string;
  privateKeyPem: string;
  fingerprintSha256: string;
}

export interface Pkcs12Output extends Pkcs12Writer {
  /** Throws an ExternalError naming `file` unless `bytes` hold the bundle's leaf, chain and key. */
  verify(bytes: Uint8Array, bundle: DeployBundle, file: string): Promise<void>;
  /** What the file holds, decrypted; throws an ExternalError when it cannot be read. */
  read(bytes: Uint8Array, file: string): Promise<Pkcs12Material>;
}

// The PKCS#12 codec pulls in the ASN.1 stack (~100 modules); it loads on first use, so runs
// without a pkcs12 file (every plan, most applies) never pay for it.
const codec = async () => ({
  ...(await import('../../crypto/pkcs12.ts')),
  ...(await import('../../crypto/pkcs12-decode.ts')),
});

const sha256 = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');

async function resolvePassword(ctx: TargetContext): Promise<string> {
  const ref = specOf(ctx, 'file').pkcs12Password;
  if (ref === undefined) {
    throw new ExternalError(`target ${ctx.name}: files.pkcs12 is set but pkcs12Password is not`, {
      hint: 'Add pkcs12Password: { env: NAME } or { file: PATH } to the target.',
    });
  }
  if (ctx.secrets === undefined) {
    throw new ExternalError(
      `target ${ctx.name}: cannot read pkcs12Password: no secret resolver was given to the target`,
      { hint: 'The command that runs targets must provide secrets; report this as a bug.' },
    );
  }
  try {
    return await ctx.secrets(ref);
  } catch (err) {
    if (!(err instanceof CertopsError)) throw err;
    throw new ExternalError(`target ${ctx.name}: pkcs12Password: ${err.message}`, {
      hint: err.hint,
      cause: err,
    });
  }
}

/** The PKCS#12 reader and writer for a file target context. */
export function pkcs12Output(ctx: TargetContext): Pkcs12Output {
  let memo: Promise<string> | undefined;
  const password = (): Promise<string> => (memo ??= resolvePassword(ctx));

  async function read(bytes: Uint8Array, file: string): Promise<Pkcs12Material> {
    const { decodePkcs12 } = await codec();
    const got = await decodePkcs12(bytes, await password(), file);
    const key = got.privateKeys[0];
    if (got.leaf === undefined || key === undefined || got.privateKeys.length !== 1) {
      throw new ExternalError(`${file} does not hold one private key and its certificate`);
    }
    return {
      certificatePem: pemEncode('CERTIFICATE', got.leaf),
      chainPem: got.chain.map((c) => pemEncode('CERTIFICATE', c)).join(''),
      privateKeyPem: pemEncode('PRIVATE KEY', key),
      fingerprintSha256: sha256(got.leaf),
    };
  }

  return {
    async encode(bundle) {
      const { encodePkcs12 } = await codec();
      return encodePkcs12({
        certificatePem: bundle.certificatePem,
        chainPem: bundle.chainPem,
        privateKeyPem: bundle.privateKeyPem,
        password: await password(),
        friendlyName: bundle.name,
      });
    },

    async holds(bytes, bundle) {
      await password(); // a missing password must fail the rollback, not look like "not ours"
      const got = await read(bytes, 'PKCS#12 file').catch(() => undefined);
      return got?.fingerprintSha256 === bundle.fingerprintSha256.toLowerCase();
    },

    async verify(bytes, bundle, file) {
      const got = await read(bytes, file);
      const want = bundle.fingerprintSha256.toLowerCase();
      if (got.fingerprintSha256 !== want) {
        throw new ExternalError(
          `${file} holds certificate ${got.fingerprintSha256}, expected ${want}`,
          {
            hint: 'Another process may write to the same file; check for competing deploy tools.',
          },
        );
      }
      const chain = (pem: string) =>
        pemBlocks(pem, file)
          .map((b) => sha256(b.der))
          .join();
      if (chain(got.chainPem) !== chain(bundle.chainPem)) {
        throw new ExternalError(`${file} does not hold the expected chain`);
      }
    },

    read,
  };
}
