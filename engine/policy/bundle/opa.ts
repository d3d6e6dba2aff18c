// `--compiler opa`: builds with the real `opa` binary when it is on PATH. The inputs are copied
// into a scratch folder first (the selected Rego files and one data.json already merged by
// OPA's bundle rules), so OPA compiles exactly what regoc would.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Diagnostic } from '../../diagnostics.ts';
import { ExternalError, InvalidInputError } from '../../errors.ts';
import { processRunner } from '../../net/command.ts';
import type { CommandRunner } from '../../targets/types.ts';
import { COMPILE_HINT, diagnosticCode } from './compile-diagnostics.ts';
import type { PolicyFile } from './files.ts';

const OPA_HINT =
  'Install OPA (https://www.openpolicyagent.org/docs/latest/#running-opa) and put `opa` on PATH, or build with the default compiler (--compiler regoc).';

/** `opa version`'s first line, or undefined when `opa` cannot be run. */
export async function opaVersion(
  runner: CommandRunner = processRunner,
): Promise<string | undefined> {
  try {
    const r = await runner.run(['opa', 'version'], { timeoutMs: 10_000 });
    return r.code === 0 ? (r.stdout.split('\n')[0] ?? '').trim() : undefined;
  } catch {
    return undefined;
  }
}

export async function requireOpa(runner: CommandRunner = processRunner): Promise<string> {
  const v = await opaVersion(runner);
  if (v === undefined) throw new ExternalError('`opa` is not on PATH', { hint: OPA_HINT });
  return v;
}

/** Runs `opa build -t wasm` over `rego` + `data`; returns the bundle's bytes. */
export async function opaBuild(
  rego: readonly PolicyFile[],
  data: unknown,
  entrypoints: readonly string[],
  runner: CommandRunner = processRunner,
): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), 'certops-opa-build-'));
  try {
    const src = path.join(dir, 'src');
    for (const f of rego) {
      await mkdir(path.dirname(path.join(src, f.rel)), { recursive: true });
      await writeFile(path.join(src, f.rel), f.bytes);
    }
    await mkdir(src, { recursive: true });
    await writeFile(path.join(src, 'data.json'), JSON.stringify(data));
    const out = path.join(dir, 'bundle.tar.gz');
    const argv = ['opa', 'build', '-t', 'wasm', ...entrypoints.flatMap((e) => ['-e', e])];
    // Run inside the copy so the bundle names the sources `certops/x.rego`, not a temp path.
    const r = await runner.run([...argv, '-o', out, '.'], { cwd: src, timeoutMs: 300_000 });
    if (r.code !== 0) {
      const found = opaDiagnostics(`${r.stderr}\n${r.stdout}`, src, rego);
      if (found.length > 0) {
        throw new InvalidInputError(found, 'opa build found errors in the policies', COMPILE_HINT);
      }
      throw new ExternalError(
        `opa build failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`,
        {
          hint: OPA_HINT,
        },
      );
    }
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** OPA's `<file>:<line>: <code>: <message>` lines, mapped back to the policy files. */
function opaDiagnostics(text: string, src: string, rego: readonly PolicyFile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  // One error: `error: 1 error occurred: x.rego:3: rego_parse_error: …`; several: one a line.
  for (const m of text.matchAll(
    /(?:^|: )([^\s:][^:\n]*?\.rego):(\d+)(?::(\d+))?: (rego_\w+): (.*)$/gm,
  )) {
    const [, file, line, col, code, message] = m as unknown as string[];
    const rel = path
      .relative(src, path.resolve(src, file as string))
      .split(path.sep)
      .join('/');
    out.push({
      severity: 'error',
      code: diagnosticCode(code as string),
      file: rego.find((f) => f.rel === rel)?.display ?? (file as string),
      line: Number(line),
      col: Number(col ?? 1),
      path: '',
      message: `${code as string}: ${message as string}`,
    });
  }
  return out;
}
