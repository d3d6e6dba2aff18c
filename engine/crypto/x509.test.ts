import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalError } from '../errors.ts';
import { pemDecodeOne, pemEncode } from './pem.ts';
import { parseSubjectAltName } from './san.ts';
import { fingerprintSha256, parseCertificate } from './x509.ts';

// A certificate made by openssl, so parsing is checked against an independent producer.
let dir: string;
let pem: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certops-x509-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-384',
      '-nodes',
      '-keyout',
      join(dir, 'k'),
      '-out',
      join(dir, 'c.pem'),
      '-days',
      '30',
      '-subj',
      '/C=DE/O=Example, Inc./CN=web.example.com',
      '-set_serial',
      '0x00ab01',
      '-addext',
      'subjectAltName=DNS:web.example.com,DNS:*.api.example.com,IP:10.1.2.3,IP:2001:db8::1,email:ops@example.com,URI:spiffe://example/web',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      'extendedKeyUsage=serverAuth,clientAuth',
    ],
    { stdio: 'ignore' },
  );
  pem = readFileSync(join(dir, 'c.pem'), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseCertificate', () => {
  it('reads serial, names, validity, CA flag and key algorithm', () => {
    const info = parseCertificate(pem);
    expect(info.serial).toBe('ab01');
    expect(info.subject).toBe('C=DE, O=Example\\, Inc., CN=web.example.com');
    expect(info.issuer).toBe(info.subject);
    expect(info.commonName).toBe('web.example.com');
    expect(info.dnsNames).toEqual(['web.example.com', '*.api.example.com']);
    expect(info.ipAddresses).toEqual(['10.1.2.3', '2001:db8::1']);
    expect(info.emailAddresses).toEqual(['ops@example.com']);
    expect(info.uris).toEqual(['spiffe://example/web']);
    expect(info.isCA).toBe(false);
    expect(info.publicKeyAlgorithm).toBe('ECDSA-P384');
    expect(info.extendedKeyUsages).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(info.notBefore).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(info.notAfter) - Date.parse(info.notBefore)).toBe(30 * 86_400_000);
  });

  it('accepts DER and gives the same facts', () => {
    expect(parseCertificate(pemDecodeOne(pem, 'CERTIFICATE'))).toEqual(parseCertificate(pem));
  });

  it('refuses garbage, other blocks and undecodable DER with an ExternalError', () => {
    expect(() => parseCertificate('garbage')).toThrow(ExternalError);
    expect(() => parseCertificate(pemEncode('PUBLIC KEY', new Uint8Array([1, 2])))).toThrow(
      /expected a CERTIFICATE block/,
    );
    expect(() =>
      parseCertificate(pemEncode('CERTIFICATE', new Uint8Array([0x30, 0x03, 1, 2, 3]))),
    ).toThrow(/not a valid X.509 certificate/);
  });
});

describe('fingerprintSha256', () => {
  it('matches openssl for PEM and DER input', () => {
    const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], {
      input: pem,
      encoding: 'utf8',
    });
    const expected = out.trim().split('=')[1]?.replace(/:/g, '').toLowerCase();
    expect(fingerprintSha256(pem)).toBe(expected);
    expect(fingerprintSha256(pemDecodeOne(pem, 'CERTIFICATE'))).toBe(expected);
    expect(parseCertificate(pem).fingerprintSha256).toBe(expected);
  });
});

describe('parseSubjectAltName', () => {
  it('keeps a quoted value with a comma as one name (no forged entries)', () => {
    const text =
      'DNS:a.example, DNS:"evil.example, DNS:forged.example", IP Address:0:0:0:0:0:0:0:1';
    expect(parseSubjectAltName(text)).toEqual({
      dnsNames: ['a.example', 'evil.example, DNS:forged.example'],
      ipAddresses: ['::1'],
      emailAddresses: [],
      uris: [],
    });
  });

  it('ignores name types it does not report and survives an absent extension', () => {
    expect(parseSubjectAltName('othername:<unsupported>, DNS:x.example').dnsNames).toEqual([
      'x.example',
    ]);
    expect(parseSubjectAltName(undefined).dnsNames).toEqual([]);
  });
});
