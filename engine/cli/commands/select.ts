// Choosing which certificates a lifecycle verb acts on: names, or everything from one issuer.
import type { Option } from 'commander';
import type { DesiredCertificate } from '../../plan/desired.ts';
import type { Change } from '../../plan/planner.ts';

export interface SelectOptions {
  issuer?: string;
}

export const selectHelp = '[certificates...]';

export function selector(
  names: string[],
  opts: SelectOptions,
): (c: Change, d: DesiredCertificate | undefined) => boolean {
  return (c, d) =>
    (names.length === 0 || names.includes(c.certificate)) &&
    (!opts.issuer || d?.issuer === opts.issuer);
}

export type { Option };
