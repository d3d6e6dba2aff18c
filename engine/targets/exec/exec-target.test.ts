import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalError } from '../../errors.ts';
import type { ExecTargetSpec } from '../../model/types.generated.ts';
import { NGINX_SKIP_REASON, nginxAvailable, startNginx } from '../nginx/testing.ts';
import type { NginxInstance } from '../nginx/testing.ts';
import { makeTestBundle } from '../testing/certs.ts';
import { targetContext, tempDir } from '../testing/context.ts';
import type { DeployBundle } from '../types.ts';
import { execTarget } from './exec-target.ts';

const tmp = tempDir();
afterAll(tmp.cleanup);
let bundle: DeployBundle;
beforeAll(async () => {
  bundle = await makeTestBundle({
    name: 'api',
    dnsNames: ['api.example.test', 'www.example.test'],
  });
});

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as ExternalError,
  );
let n = 0;
function setup(command: ExecTargetSpec['command'], extra: Partial<ExecTargetSpec> = {}) {
  const root = path.join(tmp.dir, `root${n++}`);
  mkdirSync(root);
  return { root, ctx: targetContext({ type: 'exec', command, ...extra }, root) };
}

// Copies what it is given into ./out (relative: the hook runs in the deploy root).
const COPY_HOOK = `set -e
mkdir -p out
env | grep '^CERTOPS_' | sort > out/env
for f in CERT KEY CHAIN FULLCHAIN; do eval "cp \\"\\$CERTOPS_\${f}_FILE\\" out/\$f"; done
stat -c %a "$(dirname "$CERTOPS_KEY_FILE")" > out/dirmode
stat -c %a "$CERTOPS_KEY_FILE" > out/keymode
pwd > out/cwd`;

describe('exec target', () => {
  it('gives the hook the documented variables and files, in the deploy root', async () => {
    const { root, ctx } = setup(['sh', '-c', COPY_HOOK]);
    expect(await execTarget.deploy(ctx, bundle)).toEqual({ files: [] });
    const out = (f: string) => readFileSync(path.join(root, 'out', f), 'utf8');
    const env = Object.fromEntries(
      out('env')
        .trim()
        .split('\n')
        .map((l) => l.split(/=(.*)/s).slice(0, 2)),
    );
    const tempDirUsed = path.dirname(env.CERTOPS_CERT_FILE ?? '');
    expect(env).toEqual({
      CERTOPS_EVENT: 'deploy',
      CERTOPS_NAME: 'api',
      CERTOPS_CERT_FILE: path.join(tempDirUsed, 'cert.pem'),
      CERTOPS_KEY_FILE: path.join(tempDirUsed, 'key.pem'),
      CERTOPS_CHAIN_FILE: path.join(tempDirUsed, 'chain.pem'),
      CERTOPS_FULLCHAIN_FILE: path.join(tempDirUsed, 'fullchain.pem'),
      CERTOPS_SERIAL: bundle.serial,
      CERTOPS_FINGERPRINT: bundle.fingerprintSha256,
      CERTOPS_NOT_AFTER: bundle.notAfter,
      CERTOPS_DNS_NAMES: 'api.example.test,www.example.test',
    });
    expect(out('CERT')).toBe(bundle.certificatePem);
    expect(out('KEY')).toBe(bundle.privateKeyPem);
    expect(out('CHAIN')).toBe(bundle.chainPem);
    expect(out('FULLCHAIN')).toBe(bundle.fullchainPem);
    expect(out('dirmode').trim()).toBe('700');
    expect(out('keymode').trim()).toBe('600');
    expect(out('cwd').trim()).toBe(root);
    expect(existsSync(tempDirUsed)).toBe(false);
  });

  it('a failing hook fails the deploy with its stderr, and the temp dir is still removed', async () => {
    const { root, ctx } = setup([
      'sh',
      '-c',
      'dirname "$CERTOPS_KEY_FILE" > used; echo "upload refused: quota" >&2; exit 7',
    ]);
    const err = await errorOf(execTarget.deploy(ctx, bundle));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toMatch(/exited 7:\nupload refused: quota$/);
    expect(existsSync(readFileSync(path.join(root, 'used'), 'utf8').trim())).toBe(false);
  });

  it('a hook that outlives its timeout is killed', async () => {
    const { ctx } = setup(['sh', '-c', 'sleep 20'], { timeout: '1s' });
    const started = performance.now();
    const err = await errorOf(execTarget.deploy(ctx, bundle));
    expect(err?.message).toMatch(/timed out after 1000 ms/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('remove runs the hook with only the event and the name', async () => {
    const { root, ctx } = setup(['sh', '-c', "env | grep '^CERTOPS_' | sort > removed"]);
    await execTarget.remove(ctx, 'api');
    expect(readFileSync(path.join(root, 'removed'), 'utf8')).toBe(
      'CERTOPS_EVENT=remove\nCERTOPS_NAME=api\n',
    );
  });

  it('without verify, verify and observe have nothing to check; rollback reports it cannot restore', async () => {
    const { ctx } = setup(['true']);
    await expect(execTarget.verify(ctx, bundle)).resolves.toBeUndefined();
    await expect(execTarget.rollback(ctx, bundle)).resolves.toBe(false);
    expect(await execTarget.observe(ctx, 'api')).toEqual({ unobservable: true });
  });
});

const available = nginxAvailable();
describe.skipIf(!available)(
  `exec target with verify (${available ? 'real nginx' : NGINX_SKIP_REASON})`,
  () => {
    let nginx: NginxInstance | undefined;
    const dir = path.join(tmp.dir, 'exec-nginx');
    afterAll(() => nginx?.stop());

    it('a hook that installs and reloads nginx passes the TLS verify', async () => {
      const old = await makeTestBundle({ name: 'api', dnsNames: ['api.example.test'] });
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'cert.pem'), old.fullchainPem);
      writeFileSync(path.join(dir, 'key.pem'), old.privateKeyPem, { mode: 0o600 });
      nginx = await startNginx({
        certFile: path.join(dir, 'cert.pem'),
        keyFile: path.join(dir, 'key.pem'),
      });
      const hook =
        'cp "$CERTOPS_FULLCHAIN_FILE" exec-nginx/cert.pem && cp "$CERTOPS_KEY_FILE" exec-nginx/key.pem && exec "$@"';
      const spec = (timeout: string): ExecTargetSpec => ({
        type: 'exec',
        command: ['sh', '-c', hook, 'sh', ...(nginx?.reloadArgv ?? [])],
        verify: { port: nginx?.port ?? 0, timeout },
      });
      const root = targetContext(spec('5s'), tmp.dir);
      expect((await execTarget.observe(root, 'api')).fingerprintSha256).toBe(old.fingerprintSha256);
      await execTarget.deploy(root, bundle);
      await execTarget.verify(root, bundle);
      expect((await execTarget.observe(root, 'api')).fingerprintSha256).toBe(
        bundle.fingerprintSha256,
      );
      await expect(execTarget.verify({ ...root, spec: spec('1s') }, old)).rejects.toThrow(
        /still serves/,
      );
    });
  },
);
