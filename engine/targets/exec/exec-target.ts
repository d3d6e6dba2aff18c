// The `exec` target: hands the certificate to a command (a hook) the operator wrote.
//
// Environment of the command (on top of PATH, HOME and LANG; nothing else from certops' own
// environment is passed on):
//
//   On deploy (CERTOPS_EVENT=deploy):
//     CERTOPS_EVENT           deploy
//     CERTOPS_NAME            the deploy name (the certificate name unless deploy[].name says)
//     CERTOPS_CERT_FILE       absolute path of the leaf certificate (PEM)
//     CERTOPS_KEY_FILE        absolute path of the private key (PKCS#8 PEM, mode 0600)
//     CERTOPS_CHAIN_FILE      absolute path of the intermediates (PEM; empty file when none)
//     CERTOPS_FULLCHAIN_FILE  absolute path of leaf + intermediates (PEM)
//     CERTOPS_SERIAL          serial number (hex)
//     CERTOPS_FINGERPRINT     SHA-256 fingerprint of the leaf (lower-case hex, no colons)
//     CERTOPS_NOT_AFTER       end of validity (as in the bundle: ISO 8601)
//     CERTOPS_DNS_NAMES       DNS names, comma-separated
//   On remove (CERTOPS_EVENT=remove): only CERTOPS_EVENT and CERTOPS_NAME.
//
// The files live in a private temporary directory (mode 0700) that is deleted as soon as the
// command exits, whatever happened: copy what you need, do not keep the paths. The command runs
// with the deploy root as working directory, as an argument vector (no shell unless you write
// `sh -c`), with timeout `spec.timeout` (default 60s); the whole process group is killed when it
// runs over. A non-zero exit fails the deploy with the command's stderr tail.
//
// verify: with `verify:`, the TLS endpoint must serve the new certificate; without it the hook's
// exit code was the check. rollback: not possible (certops cannot know what the hook changed), so
// it does nothing; deploy the previous certificate again instead. observe: the served fingerprint
// with `verify:`; without it the target is unobservable (no drift is reported for it).
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ExternalError } from '../../errors.ts';
import { tail } from '../../net/command-support.ts';
import { parseDuration } from '../../util/duration.ts';
import { specOf } from '../spec.ts';
import { observeServed, verifyServed } from '../tls-check.ts';
import type { DeployBundle, TargetContext, TargetProvider } from '../types.ts';

export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;

function timeoutOf(ctx: TargetContext): number {
  const text = specOf(ctx, 'exec').timeout;
  if (text === undefined) return DEFAULT_EXEC_TIMEOUT_MS;
  const d = parseDuration(text);
  if (!d.ok) throw new ExternalError(`target ${ctx.name}: timeout: ${d.reason}`);
  return d.ms;
}

async function runHook(ctx: TargetContext, env: Record<string, string>): Promise<void> {
  const command = specOf(ctx, 'exec').command;
  const r = await ctx.runner.run(command, { env, cwd: ctx.deployRoot, timeoutMs: timeoutOf(ctx) });
  if (r.code !== 0) {
    throw new ExternalError(
      `target ${ctx.name}: hook \`${command.join(' ')}\` (${env.CERTOPS_EVENT}) exited ${r.code}:\n${tail(r.stderr) || '(no stderr)'}`,
      {
        hint: 'Read the hook output above; run the hook by hand with the same environment to debug it.',
      },
    );
  }
}

/** Writes the bundle into a fresh 0700 directory; returns the environment describing it. */
async function writeBundle(dir: string, bundle: DeployBundle): Promise<Record<string, string>> {
  await chmod(dir, 0o700);
  const files = {
    CERTOPS_CERT_FILE: ['cert.pem', bundle.certificatePem, 0o644],
    CERTOPS_KEY_FILE: ['key.pem', bundle.privateKeyPem, 0o600],
    CERTOPS_CHAIN_FILE: ['chain.pem', bundle.chainPem, 0o644],
    CERTOPS_FULLCHAIN_FILE: ['fullchain.pem', bundle.fullchainPem, 0o644],
  } as const;
  const env: Record<string, string> = {};
  for (const [variable, [name, content, mode]] of Object.entries(files)) {
    const file = path.join(dir, name);
    await writeFile(file, content, { mode, flag: 'wx' });
    env[variable] = file;
  }
  return env;
}

export const execTarget: TargetProvider = {
  async deploy(ctx, bundle) {
    // os.tmpdir(): the operator's TMPDIR; the directory itself is private (mkdtemp, 0700).
    const dir = await mkdtemp(path.join(os.tmpdir(), 'certops-exec-'));
    try {
      const fileEnv = await writeBundle(dir, bundle);
      await runHook(ctx, {
        CERTOPS_EVENT: 'deploy',
        CERTOPS_NAME: bundle.name,
        ...fileEnv,
        CERTOPS_SERIAL: bundle.serial,
        CERTOPS_FINGERPRINT: bundle.fingerprintSha256,
        CERTOPS_NOT_AFTER: bundle.notAfter,
        CERTOPS_DNS_NAMES: bundle.dnsNames.join(','),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return { files: [] }; // nothing certops wrote outlives the hook
  },

  async verify(ctx, bundle) {
    const spec = specOf(ctx, 'exec');
    if (spec.verify) await verifyServed(ctx, spec.verify, bundle);
  },

  async rollback() {
    return false; // Not possible: see the contract at the top of this file.
  },

  remove(ctx, name) {
    return runHook(ctx, { CERTOPS_EVENT: 'remove', CERTOPS_NAME: name });
  },

  async observe(ctx) {
    try {
      const spec = specOf(ctx, 'exec');
      if (!spec.verify) return { unobservable: true };
      const served = await observeServed(ctx, spec.verify);
      return served === undefined ? {} : { fingerprintSha256: served };
    } catch {
      return {};
    }
  },
};
