import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../clock.ts';
import { ExternalError } from '../../../errors.ts';
import type { TargetSpec } from '../../../model/types.generated.ts';
import type { IssuerContext } from '../../types.ts';
import { nginxFrom } from './config.ts';

const ctx = (targets: Record<string, TargetSpec>): IssuerContext => ({
  name: 'le',
  spec: { type: 'acme', directoryUrl: 'https://acme.invalid/dir' },
  home: '/nonexistent',
  clock: systemClock,
  deployRoot: '/srv/deploy',
  target: (n) => targets[n],
});
const nginx: TargetSpec = { type: 'nginx', directory: 'edge' };

describe('nginxFrom', () => {
  it('refuses a Target that is not declared, or not of type nginx', () => {
    expect(() => nginxFrom(ctx({}), { nginxTarget: 'edge' })).toThrow(
      /http01\.nginxTarget "edge" is not a declared Target/,
    );
    expect(() =>
      nginxFrom(ctx({ edge: { type: 'file', directory: 'x' } }), { nginxTarget: 'edge' }),
    ).toThrow(/is not an nginx Target/);
  });

  it('refuses a directory that leaves the deploy root and a self-check address that is no IP', () => {
    const escaping: TargetSpec = { type: 'nginx', directory: '../elsewhere' };
    expect(() => nginxFrom(ctx({ edge: escaping }), { nginxTarget: 'edge' })).toThrow(
      /leaves the deploy root/,
    );
    const err = (() => {
      try {
        nginxFrom(ctx({ edge: nginx }), {
          nginxTarget: 'edge',
          selfCheck: { address: 'localhost' },
        });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ExternalError);
    expect((err as Error).message).toMatch(/selfCheck\.address "localhost" is not an IP address/);
  });

  it('makes an http-01 solver for a declared nginx Target', () => {
    expect(nginxFrom(ctx({ edge: nginx }), { nginxTarget: 'edge' }).type).toBe('http-01');
  });
});
