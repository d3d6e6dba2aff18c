// Builds the lifecycle's dependencies for the CLI verbs from the context: the one place where the
// real state store, providers, key stores and clock are wired together.
import { hostname, homedir } from 'node:os';
import path from 'node:path';
import type { LifecycleDeps } from '../apply/deps.ts';
import { exportPrivateKeyPem, importPrivateKeyPem, webCryptoKeyFactory } from '../crypto/keys.ts';
import { certopsHome, FileKeyStore } from '../crypto/keystore.ts';
import { secretResolver } from '../crypto/secret.ts';
import { InvalidInputError } from '../errors.ts';
import { ISSUERS } from '../issuers/index.ts';
import type { Model } from '../model/object.ts';
import { processRunner } from '../net/command.ts';
import { nodeTlsProbe } from '../net/tls-probe.ts';
import { acquireLock, desiredCommit, openGitStateStore } from '../state/index.ts';
import { TARGETS } from '../targets/index.ts';
import { validateRepository } from '../validate/validate-repo.ts';
import type { Context } from './context.ts';

/** Loads and validates the desired state; invalid input stops every lifecycle verb (exit 3). */
export async function loadValidModel(ctx: Context): Promise<Model> {
  const report = await validateRepository(ctx.repo, { now: ctx.clock.now() });
  if (report.errors > 0)
    throw new InvalidInputError(report.diagnostics.filter((d) => d.severity === 'error'));
  return report.model;
}

export function homeOf(ctx: Context): string {
  return certopsHome(ctx.io.env, homedir());
}

export interface LifecycleOptions {
  deployRoot?: string;
  onEvent?: LifecycleDeps['onEvent'];
}

export async function lifecycleDeps(
  ctx: Context,
  model: Model,
  opts: LifecycleOptions = {},
): Promise<LifecycleDeps> {
  const home = homeOf(ctx);
  const branch = model.settings.stateBranch ?? 'certops/state';
  const deps: LifecycleDeps = {
    repo: ctx.repo,
    model,
    store: openGitStateStore({ dir: ctx.repo, branch, clock: ctx.clock }),
    issuers: ISSUERS,
    targets: TARGETS,
    keys: webCryptoKeyFactory,
    keyCodec: { exportPem: exportPrivateKeyPem, importPem: importPrivateKeyPem },
    leafKeys: new FileKeyStore(path.join(home, 'keys')),
    home,
    deployRoot: path.resolve(ctx.repo, opts.deployRoot ?? ctx.io.env.CERTOPS_DEPLOY_ROOT ?? '.'),
    runner: processRunner,
    tls: nodeTlsProbe,
    clock: ctx.clock,
    desiredCommit: await desiredCommit(ctx.repo),
    secrets: secretResolver(ctx.io.env),
    lock: () =>
      acquireLock({
        dir: ctx.repo,
        owner: 'certops apply',
        clock: ctx.clock,
        hostname: hostname(),
      }),
  };
  if (opts.onEvent) deps.onEvent = opts.onEvent;
  const crash = crashHook(ctx.io.env.CERTOPS_CRASH_AFTER);
  if (crash) deps.afterJournal = crash;
  return deps;
}

/**
 * Fault injection for the crash-safety tests: CERTOPS_CRASH_AFTER=<step>[:<n>] kills this process
 * with SIGKILL right after the n-th (default first) journal commit of that step.
 */
function crashHook(spec: string | undefined): LifecycleDeps['afterJournal'] {
  if (!spec) return undefined;
  const [step, nth] = spec.split(':');
  let seen = 0;
  return (s) => {
    if (s === step && ++seen === Number(nth ?? 1)) process.kill(process.pid, 'SIGKILL');
  };
}
