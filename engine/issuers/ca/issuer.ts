// The built-in private CA as an IssuerProvider. Leaves are signed by the intermediate; the chain
// returned is the intermediate only. Issuance is idempotent per operation id: the record written
// before issue() returns is the answer to every later call with that id, so a crash after
// signing and before the journal commit never signs a second certificate.
import { X509Certificate } from 'node:crypto';
import { exportSpkiDer } from '../../crypto/keys.ts';
import { CertopsError, ExternalError } from '../../errors.ts';
import type { CaIssuerSpec } from '../../model/types.generated.ts';
import { parseDuration } from '../../util/duration.ts';
import { issuedCertificate, signLeaf, wholeSeconds } from '../sign.ts';
import type { IssuedCertificate, IssuerContext, IssuerProvider, IssueRequest } from '../types.ts';
import { loadCa, type LoadedCa } from './load.ts';
import { caPaths } from './paths.ts';
import { readRecord, recordBySerial, writeRecord, type IssuanceRecord } from './records.ts';

export function caSpecOf(ctx: IssuerContext): CaIssuerSpec {
  if (ctx.spec.type !== 'ca') {
    throw new CertopsError('INTERNAL', `Issuer "${ctx.name}" is of type ${ctx.spec.type}, not ca`);
  }
  return ctx.spec as CaIssuerSpec;
}

async function issue(ctx: IssuerContext, req: IssueRequest): Promise<IssuedCertificate> {
  const spec = caSpecOf(ctx);
  const paths = caPaths(ctx.home, ctx.name, spec);
  const earlier = await readRecord(paths, req.operationId);
  if (earlier) return replay(earlier, req);

  const ca = await loadCa(ctx.home, ctx.name, spec);
  const { notBefore, notAfter } = validity(ctx, spec, ca, req);
  const certificatePem = await signLeaf({
    req,
    signer: {
      name: ca.intermediate.subjectName,
      privateKey: ca.intermediateKey.privateKey,
      spec: ca.intermediateKey.spec,
      keyId: ca.intermediateKeyId,
    },
    notBefore,
    notAfter,
    urls: spec,
  });
  const issued = issuedCertificate(certificatePem, ca.intermediatePem);
  await writeRecord(paths, {
    version: 1,
    operationId: req.operationId,
    certificate: req.certificate,
    serial: issued.serial,
    fingerprintSha256: issued.fingerprintSha256,
    notBefore: issued.notBefore,
    notAfter: issued.notAfter,
    issuedAt: ctx.clock.now().toISOString(),
    names: {
      ...(req.commonName === undefined ? {} : { commonName: req.commonName }),
      dnsNames: req.dnsNames,
      ipAddresses: req.ipAddresses,
      emailAddresses: req.emailAddresses,
      uris: req.uris,
    },
    certificatePem,
    chainPem: ca.intermediatePem,
    state: 'issued',
  });
  return issued;
}

/** The earlier result for this operation, provided it certifies the same key. */
async function replay(rec: IssuanceRecord, req: IssueRequest): Promise<IssuedCertificate> {
  let recorded: Buffer;
  try {
    recorded = new X509Certificate(rec.certificatePem).publicKey.export({
      type: 'spki',
      format: 'der',
    });
  } catch (err) {
    throw new ExternalError(`the issuance record of operation ${rec.operationId} is damaged`, {
      hint: 'Restore it from a backup; certops will not sign again for an operation it may have signed.',
      cause: err,
    });
  }
  const requested = Buffer.from(await exportSpkiDer(req.key.publicKey));
  if (!recorded.equals(requested)) {
    throw new CertopsError(
      'INTERNAL',
      `operation ${req.operationId} already has certificate ${rec.serial} for a different key; the operation's key changed`,
      { hint: 'The pending key of this operation was lost or replaced; start a new operation.' },
    );
  }
  return issuedCertificate(rec.certificatePem, rec.chainPem);
}

/** Requested validity, within the intermediate's own and capped at spec.maxValidity. */
function validity(ctx: IssuerContext, spec: CaIssuerSpec, ca: LoadedCa, req: IssueRequest) {
  const caNotBefore = ca.intermediate.notBefore.getTime();
  const caNotAfter = ca.intermediate.notAfter.getTime();
  if (caNotAfter <= ctx.clock.now().getTime()) {
    throw new ExternalError(
      `the intermediate of CA "${ctx.name}" expired at ${ca.intermediate.notAfter.toISOString()}`,
      {
        hint: 'Create a new intermediate for this CA before issuing.',
      },
    );
  }
  const notBefore = wholeSeconds(new Date(Math.max(req.notBefore.getTime(), caNotBefore)));
  let end = Math.min(req.notAfter.getTime(), caNotAfter);
  if (spec.maxValidity !== undefined) {
    const max = parseDuration(spec.maxValidity);
    if (!max.ok) throw new ExternalError(`Issuer "${ctx.name}": maxValidity ${max.reason}`);
    end = Math.min(end, notBefore.getTime() + max.ms);
  }
  const notAfter = wholeSeconds(new Date(end));
  if (notAfter <= notBefore) {
    throw new ExternalError(
      `${req.certificate}: empty validity (${notBefore.toISOString()} to ${notAfter.toISOString()}) from CA "${ctx.name}"`,
    );
  }
  return { notBefore, notAfter };
}

/** Marks the certificate with `serial` as no longer in use (kept for a later CRL); unknown serials are ignored. */
async function retire(
  ctx: IssuerContext,
  serial: string,
  reason: 'superseded' | 'cessationOfOperation',
): Promise<void> {
  const paths = caPaths(ctx.home, ctx.name, caSpecOf(ctx));
  const rec = await recordBySerial(paths, serial.toLowerCase());
  if (!rec || rec.state === 'retired') return;
  await writeRecord(paths, {
    ...rec,
    state: 'retired',
    retired: { reason, at: ctx.clock.now().toISOString() },
  });
}

export const caIssuer: IssuerProvider = { issue, retire };
