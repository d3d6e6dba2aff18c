// The certificate signing request for an order, signed with the subject key the lifecycle
// generated (the private key never leaves the process). Names: every DNS name and IP address
// as subjectAltName; the common name, when given, as the subject.
import { x509 } from '../../crypto/x509-lib.ts';
import { signingAlgorithm } from '../sign.ts';
import type { IssueRequest } from '../types.ts';

export async function orderCsr(req: IssueRequest): Promise<Buffer> {
  const names = [
    ...req.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...req.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: req.commonName ? `CN=${req.commonName.replace(/([,+"\\<>;=])/g, '\\$1')}` : '',
    keys: req.key as unknown as CryptoKeyPair,
    signingAlgorithm: signingAlgorithm(req.key.spec),
    extensions: [new x509.SubjectAlternativeNameExtension(names)],
  });
  return Buffer.from(csr.toString('pem'));
}
