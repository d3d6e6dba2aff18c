// `npm start` is the product's first impression: the whole offline demo must run and show the
// endpoint serving the recorded certificate, before and after renewal. Run with the built-in TLS
// endpoint so it also holds on machines without nginx.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanHistoryForKeyMaterial } from '../engine/state/index.ts';
import { REPO_ROOT, scratchDir } from './helpers.ts';

const run = promisify(execFile);

describe('npm start (the demo) with the built-in TLS endpoint', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let output = '';
  beforeAll(async () => {
    ({ dir, cleanup } = await scratchDir('certops-demo-'));
    const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const r = await run(tsx, [path.join(REPO_ROOT, 'engine/demo/main.ts')], {
      env: { ...process.env, CERTOPS_DEMO_DIR: dir, CERTOPS_DEMO_NGINX: '0' },
      maxBuffer: 16 * 1024 * 1024,
    });
    output = r.stdout;
  }, 120_000);
  afterAll(() => cleanup());

  it('issues, deploys and renews with the private CA, verified on the endpoint', () => {
    expect(output).toContain('TLS endpoint: built-in on port');
    expect(
      output.match(/serves [0-9a-f]{16}…, serial [0-9a-f]+: the recorded certificate ✓/g),
    ).toHaveLength(2);
    expect(output).toMatch(/Apply: 11 done, 0 failed\./);
    expect(output).toMatch(/\^ renew +shop-edge/);
    expect(output).toMatch(/13 certificates: 11 healthy, 2 progressing, 0 degraded, 0 expired/);
    // The ACME certificates (http-01 and dns-01) need an ACME server: planned, not issued.
    expect(output).toMatch(/^ {2}login: not issued yet$/m);
    expect(output).toMatch(/^ {2}preview-wildcard: not issued yet$/m);
    // Nothing drifted: 61 days later there are renewals only.
    expect(output).toMatch(/Plan: 0 to issue, 8 to renew, 0 to replace, 0 to deploy,/);
    expect(output).toContain('certops: renew');
  });

  it('leaves no key material in the workspace repository history', async () => {
    expect(await scanHistoryForKeyMaterial(path.join(dir, 'repo'))).toEqual([]);
  });
});
