// The CLI's view of the outside world, injected so commands run in-process in tests.
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** True when stdout is a terminal (colors, progress). */
  isTTY: boolean;
}

let pipeGuard = false;

/** A reader that stops early (`certops plan | head`) closes the pipe: end quietly, not with a trace. */
function guardBrokenPipes(): void {
  if (pipeGuard) return;
  pipeGuard = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}

export const processIO = (): CliIO => (
  guardBrokenPipes(),
  {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
  }
);

/** Collects output in memory (tests). */
export function memoryIO(
  overrides: Partial<CliIO> = {},
): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    env: {},
    cwd: process.cwd(),
    isTTY: false,
    ...overrides,
    out: () => out,
    err: () => err,
  };
}
