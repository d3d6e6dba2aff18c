// Choosing which certificates a lifecycle verb acts on (names, or everything from one issuer),
// and the options plan and apply share.
import type { Command } from 'commander';
import type { DesiredCertificate } from '../../plan/desired.ts';
import type { Change } from '../../plan/planner.ts';

export interface SelectOptions {
  issuer?: string;
  deployRoot?: string;
}

/** Adds `[certificates...]`, `--issuer` and `--deploy-root` to a lifecycle verb. */
export function withSelection(cmd: Command): Command {
  return cmd
    .argument('[certificates...]', 'only these certificates')
    .option('--issuer <name>', 'only certificates from this issuer')
    .option(
      '--deploy-root <dir>',
      'directory relative target paths resolve against (default: $CERTOPS_DEPLOY_ROOT or the repository)',
    );
}

export function selector(
  names: string[],
  opts: SelectOptions,
): (c: Change, d: DesiredCertificate | undefined) => boolean {
  return (c, d) =>
    (names.length === 0 || names.includes(c.certificate)) &&
    (!opts.issuer || d?.issuer === opts.issuer);
}
