// Entry point: runs the program and turns every outcome into one exit code (errors.ts maps
// error classes to codes; nothing else calls process.exit).
import { CommanderError } from 'commander';
import { formatDiagnostic } from '../diagnostics.ts';
import { CertopsError, errorCodeOf, ExitCode, exitCodeFor, InvalidInputError } from '../errors.ts';
import { makeRunner } from './command.ts';
import { processIO, type CliIO } from './io.ts';
import { buildProgram } from './program.ts';

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const runner = makeRunner(io);
  const program = buildProgram(runner);
  const json = argv.includes('--json');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return runner.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, successfully.
      if (err.exitCode === 0) return ExitCode.Ok;
      if (json)
        io.stdout(
          `${JSON.stringify({ ok: false, error: { code: 'USAGE', message: err.message } }, null, 2)}\n`,
        );
      return ExitCode.InvalidInput;
    }
    report(err, io, json);
    return exitCodeFor(err);
  }
}

function report(err: unknown, io: CliIO, json: boolean): void {
  const code = errorCodeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const hint = err instanceof CertopsError ? err.hint : undefined;
  if (json) {
    const error: Record<string, unknown> = { code, message };
    if (hint) error.hint = hint;
    if (err instanceof InvalidInputError) error.diagnostics = err.diagnostics;
    io.stdout(`${JSON.stringify({ ok: false, error }, null, 2)}\n`);
    return;
  }
  if (err instanceof InvalidInputError)
    for (const d of err.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  io.stderr(`certops: ${message}\n`);
  if (hint) io.stderr(`  hint: ${hint}\n`);
  if (!(err instanceof CertopsError) && err instanceof Error && io.env.CERTOPS_DEBUG)
    io.stderr(`${err.stack}\n`);
  if (!(err instanceof CertopsError))
    io.stderr('  This is a bug in certops; set CERTOPS_DEBUG=1 for a stack trace and report it.\n');
}
