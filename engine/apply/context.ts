// Looks up Target and Issuer objects and builds provider contexts for them.
import { ExternalError } from '../errors.ts';
import type { IssuerContext, IssuerProvider } from '../issuers/types.ts';
import type { ModelObject } from '../model/object.ts';
import type { TargetContext, TargetProvider } from '../targets/types.ts';
import type { LifecycleDeps } from './deps.ts';

function targetObject(deps: LifecycleDeps, name: string): ModelObject<'Target'> | undefined {
  return deps.model.objects.find((o) => o.kind === 'Target' && o.name === name && o.valid) as
    ModelObject<'Target'> | undefined;
}

export function targetFor(
  deps: LifecycleDeps,
  name: string,
): { provider: TargetProvider; ctx: TargetContext } | undefined {
  const obj = targetObject(deps, name);
  if (!obj) return undefined;
  const provider = deps.targets[obj.value.spec.type];
  if (!provider) {
    throw new ExternalError(
      `target type ${obj.value.spec.type} (Target "${name}") is not supported by this version`,
      {
        hint: 'Use a file, nginx or exec target.',
      },
    );
  }
  return {
    provider,
    ctx: {
      name,
      spec: obj.value.spec,
      deployRoot: deps.deployRoot,
      runner: deps.runner,
      tls: deps.tls,
      clock: deps.clock,
      ...(deps.secrets ? { secrets: deps.secrets } : {}),
    },
  };
}

export function issuerFor(
  deps: LifecycleDeps,
  name: string,
): { provider: IssuerProvider; ctx: IssuerContext } {
  const obj = deps.model.objects.find((o) => o.kind === 'Issuer' && o.name === name && o.valid) as
    ModelObject<'Issuer'> | undefined;
  if (!obj)
    throw new ExternalError(`Issuer "${name}" is not declared`, { hint: 'Declare it in certs.d.' });
  const provider = deps.issuers[obj.value.spec.type];
  if (!provider) {
    throw new ExternalError(
      `issuer type ${obj.value.spec.type} (Issuer "${name}") cannot issue in this version`,
      { hint: 'Use an issuer of type ca or acme.' },
    );
  }
  return {
    provider,
    ctx: {
      name,
      spec: obj.value.spec,
      home: deps.home,
      clock: deps.clock,
      deployRoot: deps.deployRoot,
      runner: deps.runner,
      ...(deps.secrets ? { secrets: deps.secrets } : {}),
      target: (t) => targetObject(deps, t)?.value.spec,
    },
  };
}
