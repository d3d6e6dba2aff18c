// Where a private CA lives, outside the repository. Layout of `<home>/ca/<issuer>/` (all mode
// 0700 directories, 0600 files):
//
//   root.key, intermediate.key   PKCS#8 PEM (a FileKeyStore on this directory, or on the
//                                issuer's keyStore.path when set)
//   root.pem, intermediate.pem   the CA certificates; intermediate.pem is written last, so its
//                                presence means the CA is complete
//   issued/<operationId>.json    one record per signed leaf (IssuanceRecord); counting them counts
//                                what the CA signed
//   serials/<serial>             the operationId that holds a serial (for retire and CRLs)
import { isAbsolute, join, resolve } from 'node:path';
import { checkFileName } from '../../crypto/secure-fs.ts';
import { ExternalError } from '../../errors.ts';
import type { CaIssuerSpec } from '../../model/types.generated.ts';

export interface CaPaths {
  dir: string;
  keyDir: string;
  rootCert: string;
  intermediateCert: string;
  issuedDir: string;
  serialsDir: string;
}

export const ROOT_KEY_ID = 'root';
export const INTERMEDIATE_KEY_ID = 'intermediate';

export function caPaths(home: string, issuerName: string, spec?: CaIssuerSpec): CaPaths {
  const dir = join(home, 'ca', checkFileName(issuerName, 'issuer name'));
  return {
    dir,
    keyDir: keyDirOf(home, dir, spec),
    rootCert: join(dir, 'root.pem'),
    intermediateCert: join(dir, 'intermediate.pem'),
    issuedDir: join(dir, 'issued'),
    serialsDir: join(dir, 'serials'),
  };
}

function keyDirOf(home: string, dir: string, spec: CaIssuerSpec | undefined): string {
  const store = spec?.keyStore;
  if (store?.type === 'pkcs11') {
    throw new ExternalError('CA key store type pkcs11 is not supported in this version', {
      hint: 'Use keyStore type file (the default).',
    });
  }
  if (store?.path === undefined) return dir;
  return isAbsolute(store.path) ? store.path : resolve(home, store.path);
}
