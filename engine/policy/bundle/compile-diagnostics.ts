// regoc's (and OPA's) compile diagnostics as engine Diagnostics: located at file:line:col, with
// a certops code per kind and the compiler's own code kept in the message.
import type { DiagnosticCode } from '../../diagnostic-codes.ts';
import type { Diagnostic } from '../../diagnostics.ts';
import type { Diagnostic as RegocDiagnostic } from '../../regoc/index.ts';

export const COMPILE_HINT =
  'Fix the Rego at the locations above. For a construct regoc does not support yet, `certops policy build --compiler opa` builds with OPA when it is installed.';

export function diagnosticCode(compilerCode: string): DiagnosticCode {
  if (compilerCode === 'rego_parse_error') return 'rego-syntax';
  if (compilerCode === 'REGO_UNSUPPORTED') return 'rego-unsupported';
  if (compilerCode === 'REGO_ENTRYPOINT') return 'rego-entrypoint';
  return 'rego-compile';
}

export function fromCompiler(d: RegocDiagnostic, fallbackFile: string): Diagnostic {
  const code = diagnosticCode(d.code);
  return {
    severity: 'error',
    code,
    file: d.location?.file ?? fallbackFile,
    line: d.location?.line ?? 0,
    col: d.location?.col ?? 0,
    path: '',
    message: code === 'rego-unsupported' ? d.message : `${d.code}: ${d.message}`,
  };
}
