// Test helpers (not used by production code): a fresh CERTOPS_HOME, a request builder, and the
// openssl command line as an independent verifier of what certops signs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Clock } from '../clock.ts';
import { fixtureKeyFactory } from '../crypto/testing.ts';
import type { KeyPair } from '../crypto/types.ts';
import type { CaIssuerSpec } from '../model/types.generated.ts';
import { initCa, type InitCaResult } from './ca/init.ts';
import type { IssueRequest, IssuerContext } from './types.ts';

export function tempHome(): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), 'certops-home-'));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

export function leafRequest(key: KeyPair, over: Partial<IssueRequest> = {}): IssueRequest {
  return {
    operationId: 'op-1',
    certificate: 'web',
    dnsNames: ['web.example.com'],
    ipAddresses: [],
    emailAddresses: [],
    uris: [],
    keyUsages: ['digitalSignature'],
    extendedKeyUsages: ['serverAuth'],
    notBefore: new Date('2026-03-01T00:00:00Z'),
    notAfter: new Date('2026-05-30T00:00:00Z'),
    key,
    ...over,
  };
}

/** `openssl x509 -text` of a PEM certificate. */
export function opensslText(pem: string): string {
  return execFileSync('openssl', ['x509', '-noout', '-text'], { input: pem, encoding: 'utf8' });
}

/**
 * `openssl verify -CAfile root -untrusted intermediate leaf` at time `at`; returns openssl's
 * output (throws with it when verification fails).
 */
export function opensslVerify(p: {
  root: string;
  intermediate?: string;
  leaf: string;
  at: Date;
  purpose?: string;
}): string {
  const dir = mkdtempSync(join(tmpdir(), 'certops-verify-'));
  try {
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const args = [
      'verify',
      '-attime',
      String(Math.floor(p.at.getTime() / 1000)),
      '-CAfile',
      file('root.pem', p.root),
    ];
    if (p.intermediate !== undefined) args.push('-untrusted', file('int.pem', p.intermediate));
    if (p.purpose !== undefined) args.push('-purpose', p.purpose);
    args.push(file('leaf.pem', p.leaf));
    try {
      return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(`openssl verify failed: ${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A private CA in a fresh home for one test file: registers its own beforeAll/afterAll. Read the
 * fields inside tests (they are set once beforeAll has run).
 */
export function useTestCa(spec: CaIssuerSpec, clock: Clock) {
  let op = 0;
  const fx = {
    home: '',
    ca: undefined as unknown as InitCaResult,
    ctx: undefined as unknown as IssuerContext,
    nextOp: (): string => `op-${++op}`,
  };
  let cleanup = (): void => undefined;
  beforeAll(async () => {
    ({ home: fx.home, cleanup } = tempHome());
    fx.ca = await initCa({
      home: fx.home,
      issuerName: 'private-ca',
      spec,
      clock,
      keys: fixtureKeyFactory,
    });
    fx.ctx = { name: 'private-ca', spec, home: fx.home, clock };
  });
  afterAll(() => cleanup());
  return fx;
}
