// How a verb is declared: a commander Command whose action runs with the parsed Context and
// returns an exit code. Errors thrown from actions are turned into exit codes by main.ts.
import type { Command } from 'commander';
import type { ExitCode } from '../errors.ts';
import { makeContext, type Context, type GlobalOptions } from './context.ts';
import type { CliIO } from './io.ts';

export type Action<O> = (ctx: Context, opts: O, args: string[]) => Promise<ExitCode>;

export interface Runner {
  io: CliIO;
  /** Wraps a verb's action: builds the context, records its exit code. */
  action<O>(fn: Action<O>): (...args: unknown[]) => Promise<void>;
  exitCode: ExitCode;
}

export function makeRunner(io: CliIO): Runner {
  const runner: Runner = {
    io,
    exitCode: 0,
    action<O>(fn: Action<O>) {
      return async (...args: unknown[]) => {
        const cmd = args[args.length - 1] as Command;
        const opts = cmd.optsWithGlobals<GlobalOptions & O>();
        const ctx = makeContext(opts, io);
        runner.exitCode = await fn(ctx, opts, cmd.args);
      };
    },
  };
  return runner;
}

export function writeJson(ctx: Context, value: unknown): void {
  ctx.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
