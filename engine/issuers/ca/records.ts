// Issuance records: the private CA's durable memory of what it signed. One JSON file per
// operation (issued/<operationId>.json, written atomically before issue() returns) makes issuance
// idempotent per operation and survives crashes; serials/<serial> maps a serial back to its
// operation for retire() and, later, CRLs.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import {
  checkFileName,
  ensurePrivateDir,
  readFileNoFollow,
  writeFileAtomic,
} from '../../crypto/secure-fs.ts';
import { ExternalError } from '../../errors.ts';
import { caPaths, type CaPaths } from './paths.ts';

export type RetireReason = 'superseded' | 'cessationOfOperation';

export interface IssuanceRecord {
  version: 1;
  operationId: string;
  /** Certificate object name. */
  certificate: string;
  serial: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  names: {
    commonName?: string;
    dnsNames: string[];
    ipAddresses: string[];
    emailAddresses: string[];
    uris: string[];
  };
  certificatePem: string;
  chainPem: string;
  state: 'issued' | 'retired';
  retired?: { reason: RetireReason; at: string };
}

const SERIAL = /^[0-9a-f]{1,64}$/;

function recordPath(paths: CaPaths, operationId: string): string {
  return join(paths.issuedDir, `${checkFileName(operationId, 'operation id')}.json`);
}

export async function readRecord(
  paths: CaPaths,
  operationId: string,
): Promise<IssuanceRecord | undefined> {
  const path = recordPath(paths, operationId);
  const text = await readFileNoFollow(path);
  if (text === undefined) return undefined;
  try {
    const rec = JSON.parse(text) as IssuanceRecord;
    if (
      rec.version !== 1 ||
      typeof rec.certificatePem !== 'string' ||
      rec.operationId !== operationId
    ) {
      throw new Error('unexpected content');
    }
    return rec;
  } catch (err) {
    throw new ExternalError(`issuance record ${path} is damaged`, {
      hint: 'Restore it from a backup; certops will not sign again for an operation it may have signed.',
      cause: err,
    });
  }
}

/** Stores a record durably. The serial index goes first: a record is never unreachable by serial. */
export async function writeRecord(paths: CaPaths, rec: IssuanceRecord): Promise<void> {
  await Promise.all([ensurePrivateDir(paths.issuedDir), ensurePrivateDir(paths.serialsDir)]);
  await writeFileAtomic(join(paths.serialsDir, checkSerial(rec.serial)), `${rec.operationId}\n`);
  await writeFileAtomic(recordPath(paths, rec.operationId), `${JSON.stringify(rec, null, 2)}\n`);
}

/** The record holding `serial`, or undefined when this CA never recorded it. */
export async function recordBySerial(
  paths: CaPaths,
  serial: string,
): Promise<IssuanceRecord | undefined> {
  const operationId = (await readFileNoFollow(join(paths.serialsDir, checkSerial(serial))))?.trim();
  if (!operationId) return undefined;
  const rec = await readRecord(paths, operationId);
  return rec?.serial === serial ? rec : undefined;
}

function checkSerial(serial: string): string {
  if (!SERIAL.test(serial))
    throw new ExternalError(`"${serial}" is not a certificate serial (lower-case hex)`);
  return serial;
}

/** How many certificates the CA has signed and recorded: one file per issuance, no parsing. */
export async function countIssued(home: string, issuerName: string): Promise<number> {
  try {
    const names = await fs.readdir(caPaths(home, issuerName).issuedDir);
    return names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).length;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

/** Every record, for CRL generation and inventory (parses each file). */
export async function listRecords(home: string, issuerName: string): Promise<IssuanceRecord[]> {
  const paths = caPaths(home, issuerName);
  const names = await fs.readdir(paths.issuedDir).catch(() => [] as string[]);
  const ids = names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .map((n) => n.slice(0, -5));
  const recs = await Promise.all(ids.map((id) => readRecord(paths, id)));
  return recs.filter((r): r is IssuanceRecord => r !== undefined);
}
