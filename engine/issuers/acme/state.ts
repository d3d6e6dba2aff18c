// What the ACME issuer keeps in $CERTOPS_HOME/acme/<issuer>/ (never in the repository):
// - account.key (PEM, 0600) and account.json (the account URL): the account is created once
//   and reused;
// - orders/<operationId>.json: the order URL as soon as the order exists, then the certificate.
//   A re-run of the same operation resumes that order instead of creating a new one, and a
//   finished one is answered from the record, so a crash never orders twice.
import { join } from 'node:path';
import {
  checkFileName,
  ensurePrivateDir,
  readFileNoFollow,
  writeFileAtomic,
} from '../../crypto/secure-fs.ts';
import { ExternalError } from '../../errors.ts';

export interface AcmePaths {
  dir: string;
  accountKey: string;
  account: string;
  ordersDir: string;
}

export function acmePaths(home: string, issuer: string): AcmePaths {
  const dir = join(home, 'acme', checkFileName(issuer, 'issuer name'));
  return {
    dir,
    accountKey: join(dir, 'account.key'),
    account: join(dir, 'account.json'),
    ordersDir: join(dir, 'orders'),
  };
}

export interface OrderRecord {
  version: 1;
  operationId: string;
  certificate: string;
  orderUrl: string;
  /** When the order was created (RFC 3339, the lifecycle's clock): the issuance budget counts these. */
  createdAt?: string;
  /** Set once the certificate is downloaded. */
  certificatePem?: string;
  chainPem?: string;
}

const orderPath = (p: AcmePaths, operationId: string): string =>
  join(p.ordersDir, `${checkFileName(operationId, 'operation id')}.json`);

export async function readOrder(
  p: AcmePaths,
  operationId: string,
): Promise<OrderRecord | undefined> {
  const text = await readFileNoFollow(orderPath(p, operationId));
  if (text === undefined) return undefined;
  let rec: OrderRecord;
  try {
    rec = JSON.parse(text) as OrderRecord;
  } catch (e) {
    throw new ExternalError(`ACME order record ${orderPath(p, operationId)} is not JSON`, {
      cause: e,
    });
  }
  if (rec.version !== 1 || rec.operationId !== operationId || typeof rec.orderUrl !== 'string')
    throw new ExternalError(`ACME order record ${orderPath(p, operationId)} is malformed`, {
      hint: 'Move it away to start a new order for this operation.',
    });
  return rec;
}

export async function writeOrder(p: AcmePaths, rec: OrderRecord): Promise<void> {
  await ensurePrivateDir(p.ordersDir);
  await writeFileAtomic(orderPath(p, rec.operationId), `${JSON.stringify(rec, null, 2)}\n`);
}

export async function readText(path: string): Promise<string | undefined> {
  return readFileNoFollow(path);
}

export async function writePrivate(p: AcmePaths, path: string, text: string): Promise<void> {
  await ensurePrivateDir(p.dir);
  await writeFileAtomic(path, text);
}

/** Creation times of every recorded order of this issuer (for the issuance budget). */
export async function orderTimes(p: AcmePaths): Promise<Date[]> {
  const { readdir } = await import('node:fs/promises');
  let names: string[];
  try {
    names = await readdir(p.ordersDir);
  } catch {
    return [];
  }
  const out: Date[] = [];
  for (const n of names) {
    if (!n.endsWith('.json')) continue;
    const rec = await readOrder(p, n.slice(0, -5)).catch(() => undefined);
    if (rec?.createdAt) out.push(new Date(rec.createdAt));
  }
  return out;
}
