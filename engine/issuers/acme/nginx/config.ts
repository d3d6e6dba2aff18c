// From an Issuer's `http01.nginxTarget` entry to an nginx solver: the Target's spec comes from
// the issuer context (validate already checked it is a declared nginx Target; checked again here
// because the context is all the issuer has). The snippet goes into the Target's directory,
// resolved exactly as the nginx target resolves it; the commands are the Target's own.
import { isIP } from 'node:net';
import path from 'node:path';
import { CertopsError, ExternalError } from '../../../errors.ts';
import type { AcmeIssuerSpec } from '../../../model/types.generated.ts';
import { processRunner } from '../../../net/command.ts';
import { resolveDirectory } from '../../../targets/file/layout.ts';
import { DEFAULT_CONFIG_TEST, DEFAULT_RELOAD } from '../../../targets/nginx/nginx-target.ts';
import type { IssuerContext } from '../../types.ts';
import type { Solver } from '../solvers.ts';
import { SNIPPET_FILE } from './snippet.ts';
import { nginxSolver } from './solver.ts';

type Http01Spec = NonNullable<NonNullable<AcmeIssuerSpec['solvers']>[number]['http01']>;

export function nginxFrom(
  ctx: IssuerContext,
  http01: Http01Spec & { nginxTarget: string },
): Solver {
  const name = http01.nginxTarget;
  const spec = ctx.target?.(name);
  if (spec?.type !== 'nginx')
    throw new ExternalError(
      `Issuer "${ctx.name}": http01.nginxTarget "${name}" is not ${spec ? 'an nginx Target' : 'a declared Target'}`,
      { hint: 'Name a Target of type nginx; run `certops validate`.' },
    );
  if (ctx.deployRoot === undefined || !path.isAbsolute(ctx.deployRoot))
    throw new CertopsError('INTERNAL', 'the nginx http-01 solver needs an absolute deploy root');
  const address = http01.selfCheck?.address ?? '127.0.0.1';
  if (isIP(address) === 0)
    throw new ExternalError(
      `Issuer "${ctx.name}": http01.selfCheck.address "${address}" is not an IP address`,
    );
  const dir = resolveDirectory({ name, deployRoot: ctx.deployRoot }, spec.directory);
  return nginxSolver({
    target: name,
    file: path.join(dir, SNIPPET_FILE),
    configTest: spec.configTest ?? DEFAULT_CONFIG_TEST,
    reload: spec.reload ?? DEFAULT_RELOAD,
    deployRoot: ctx.deployRoot,
    runner: ctx.runner ?? processRunner,
    selfCheck: { address, port: http01.selfCheck?.port ?? 80 },
  });
}
