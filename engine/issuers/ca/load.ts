// Loads an initialised private CA: the intermediate certificate and key that sign leaves.
import { exportSpkiDer, importPrivateKeyPem } from '../../crypto/keys.ts';
import { FileKeyStore } from '../../crypto/keystore.ts';
import { readFileNoFollow } from '../../crypto/secure-fs.ts';
import type { KeyPair } from '../../crypto/types.ts';
import { x509 } from '../../crypto/x509-lib.ts';
import { ExternalError } from '../../errors.ts';
import type { CaIssuerSpec } from '../../model/types.generated.ts';
import { keyIdentifier } from '../sign.ts';
import { caPaths, INTERMEDIATE_KEY_ID, type CaPaths } from './paths.ts';

export interface LoadedCa {
  paths: CaPaths;
  rootPem: string;
  intermediatePem: string;
  intermediate: x509.X509Certificate;
  intermediateKey: KeyPair;
  /** Key identifier of the intermediate (its SKI): the AKI of every leaf. */
  intermediateKeyId: string;
}

// Parsed CAs by directory. Importing the key and parsing the certificate cost ~5 ms, reading the
// files 0.1 ms: every load reads the files and reuses the parsed CA only if they are unchanged.
const cache = new Map<string, { keyPem: string; ca: LoadedCa }>();

/** The CA of `issuerName`, or an ExternalError saying how to create or repair it. */
export async function loadCa(
  home: string,
  issuerName: string,
  spec: CaIssuerSpec,
): Promise<LoadedCa> {
  const paths = caPaths(home, issuerName, spec);
  const intermediatePem = await readFileNoFollow(paths.intermediateCert);
  const rootPem = await readFileNoFollow(paths.rootCert);
  if (intermediatePem === undefined || rootPem === undefined) {
    throw new ExternalError(
      `the private CA "${issuerName}" is not initialised (no ${paths.intermediateCert})`,
      {
        hint: 'Run `certops init --ca` to create it (keys stay outside the repository).',
      },
    );
  }
  const keyPem = await new FileKeyStore(paths.keyDir).get(INTERMEDIATE_KEY_ID);
  if (keyPem === undefined) {
    throw new ExternalError(
      `the private CA "${issuerName}" has no intermediate key in ${paths.keyDir}`,
      {
        hint: 'Restore intermediate.key from a backup, or point keyStore.path at it.',
      },
    );
  }
  const cached = cache.get(paths.dir);
  if (
    cached?.keyPem === keyPem &&
    cached.ca.intermediatePem === intermediatePem &&
    cached.ca.rootPem === rootPem &&
    cached.ca.paths.keyDir === paths.keyDir
  ) {
    return cached.ca;
  }
  const intermediateKey = await importPrivateKeyPem(keyPem, `CA "${issuerName}" intermediate key`);
  let intermediate: x509.X509Certificate;
  try {
    intermediate = new x509.X509Certificate(intermediatePem);
  } catch (err) {
    throw new ExternalError(`${paths.intermediateCert} is not a valid certificate`, { cause: err });
  }
  const spki = Buffer.from(await exportSpkiDer(intermediateKey.publicKey));
  if (!spki.equals(Buffer.from(intermediate.publicKey.rawData))) {
    throw new ExternalError(
      `the intermediate key of CA "${issuerName}" does not match intermediate.pem`,
      {
        hint: 'Restore the matching intermediate.key and intermediate.pem from a backup.',
      },
    );
  }
  const ski = intermediate.getExtension(x509.SubjectKeyIdentifierExtension);
  const intermediateKeyId = ski?.keyId ?? (await keyIdentifier(intermediateKey.publicKey));
  const ca = { paths, rootPem, intermediatePem, intermediate, intermediateKey, intermediateKeyId };
  cache.set(paths.dir, { keyPem, ca });
  return ca;
}
