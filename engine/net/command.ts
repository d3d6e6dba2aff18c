// The real CommandRunner: runs an argument vector (never through a shell) as its own process group,
// with a timeout that ends the whole group, a minimal environment, and bounded output capture.
//
// Contract:
// - Resolves `{ code, stdout, stderr }` whenever the command ran to an exit, whatever the code: the
//   caller decides what a non-zero code means. A process ended by a signal it did not get from us
//   reports 128 + the signal number, as shells do.
// - Throws ExternalError when the command could not be started (missing executable, not
//   executable, missing cwd) or when it outlived its timeout (the process group was killed).
// - stdout and stderr keep their last OUTPUT_CAP bytes each (error tails are what callers show).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { ExternalError } from '../errors.ts';
import type { CommandRunner } from '../targets/types.ts';
import { TailBuffer, baseEnvironment, startFailure } from './command-support.ts';

export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;
/** After SIGTERM to the group on timeout, how long before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** After the process exits, how long to wait for grandchildren to release its output pipes. */
const DRAIN_MS = 500;

export const processRunner: CommandRunner = {
  run(argv, opts = {}) {
    const [file, ...args] = argv;
    if (file === undefined || file === '') {
      return Promise.reject(new ExternalError('cannot run an empty command'));
    }
    const timeoutMs = opts.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const env = { ...baseEnvironment(), ...opts.env };
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        // detached: the child leads a new process group, so a timeout can end its descendants too.
        child = spawn(file, args, {
          cwd: opts.cwd,
          env,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (err) {
        reject(startFailure(argv, opts.cwd, env.PATH, err));
        return;
      }
      const out = new TailBuffer();
      const errOut = new TailBuffer();
      child.stdout?.on('data', (b: Buffer) => out.push(b));
      child.stderr?.on('data', (b: Buffer) => errOut.push(b));
      let settled = false;
      let timedOut = false;
      const timers: NodeJS.Timeout[] = [];
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        timers.forEach(clearTimeout);
        child.stdout?.destroy();
        child.stderr?.destroy();
        fn();
      };
      const killGroup = (signal: NodeJS.Signals): void => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, signal);
        } catch {
          // The group is already gone.
        }
      };
      child.on('error', (err) => finish(() => reject(startFailure(argv, opts.cwd, env.PATH, err))));
      const timedOutError = (): ExternalError => {
        killGroup('SIGKILL'); // descendants that ignored SIGTERM
        return new ExternalError(
          `\`${argv.join(' ')}\` timed out after ${timeoutMs} ms and was killed`,
          {
            hint: 'Find out why the command hangs, or raise its timeout in the target spec.',
          },
        );
      };
      timers.push(
        setTimeout(() => {
          timedOut = true;
          killGroup('SIGTERM');
          timers.push(
            setTimeout(() => {
              killGroup('SIGKILL');
              // A process stuck in the kernel may not even die of SIGKILL: stop waiting for it.
              timers.push(setTimeout(() => finish(() => reject(timedOutError())), KILL_GRACE_MS));
            }, KILL_GRACE_MS),
          );
        }, timeoutMs),
      );
      child.on('exit', (code, signal) => {
        const result = (): void => {
          if (timedOut) {
            reject(timedOutError());
            return;
          }
          const signo = signal ? (osConstants.signals[signal] ?? 0) : 0;
          resolve({ code: code ?? 128 + signo, stdout: out.text(), stderr: errOut.text() });
        };
        // Output may still be buffered in the pipes: wait for 'close', but not forever (a background
        // grandchild can hold the pipes open).
        timers.push(setTimeout(() => finish(result), DRAIN_MS));
        child.on('close', () => finish(result));
      });
    });
  },
};
