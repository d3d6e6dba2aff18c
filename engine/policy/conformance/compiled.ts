// The compiled engine: compile the case's modules + query with regoc (compat mode, the case's
// strict flag), load the module through the one policy loader with the case's data, evaluate
// the query entrypoint with the case's input and turn its rows into bindings. REGO_UNSUPPORTED
// (compile time) and `regoc:unsupported` (run time) are unsupported outcomes; other compile
// diagnostics and evaluation errors are error outcomes carrying the OPA code when the message
// has one (`regoc:<code>: …`). Values the SDK cannot carry exactly (integers beyond 2^53, falsy
// inputs, input terms that are not JSON) make the case unsupported, never wrong.
import { compile, type Diagnostic } from '../../regoc/index.ts';
import { ExternalError } from '../../errors.ts';
import { loadPolicyBundleSync } from '../loader.ts';
import type { Bindings, ConformanceCase } from './cases.ts';
import type { Outcome } from './judge.ts';
import type { ConformanceEngine } from './runner.ts';
import type { JsonValue } from './values.ts';

/** `file:line:col`, as the compiler prints locations (only index.ts of regoc is imported). */
const formatLocation = (l: NonNullable<Diagnostic['location']>): string =>
  `${l.file}:${l.line}:${l.col}`;

const unsupported = (reason: string, location?: string): Outcome =>
  location === undefined
    ? { kind: 'unsupported', reason }
    : { kind: 'unsupported', reason, location };

class Inexact extends Error {}

/** A copy with safe bigints as numbers; throws Inexact for integers the SDK would round. */
function toSdk(v: JsonValue): unknown {
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Inexact(`integer ${v} beyond 2^53`);
    }
    return Number(v);
  }
  if (Array.isArray(v)) return v.map(toSdk);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toSdk(x as JsonValue)]));
  }
  return v;
}

/** Integers in results that JSON.parse may have rounded. */
function hasInexact(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v);
  if (Array.isArray(v)) return v.some(hasInexact);
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasInexact);
  return false;
}

function caseInput(kase: ConformanceCase): { value: unknown } | Outcome {
  if (kase.inputTerm === undefined) return { value: kase.input };
  try {
    return { value: JSON.parse(kase.inputTerm) as unknown };
  } catch {
    return unsupported(`input_term that is not JSON: ${kase.inputTerm}`);
  }
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000 };

/** OPA's test-only `test.sleep(duration)`: blocks for a duration such as "10ms"; null. */
function testSleep(d: unknown): null {
  const m = typeof d === 'string' ? /^(\d+)(ms|s)$/.exec(d) : null;
  if (!m) throw new Error(`regoc:unsupported: test.sleep duration ${JSON.stringify(d)}`);
  const ms = Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return null;
}

function errorOutcome(message: string): Outcome {
  const m = /regoc:([a-z_]+): (.*)$/s.exec(message);
  if (!m) return { kind: 'error', message };
  const [, code, text] = m as unknown as [string, string, string];
  if (code === 'unsupported') return unsupported(`REGO_UNSUPPORTED ${text} (at run time)`);
  return { kind: 'error', message: text, code };
}

function evaluate(kase: ConformanceCase, wasm: Uint8Array): Outcome {
  const input = caseInput(kase);
  if ('kind' in input) return input;
  let data: unknown;
  let inputValue: unknown;
  try {
    data = kase.data === undefined ? undefined : toSdk(kase.data);
    inputValue = input.value === undefined ? undefined : toSdk(input.value as JsonValue);
  } catch (e) {
    if (e instanceof Inexact) return unsupported(`REGO_UNSUPPORTED ${e.message} in data/input`);
    throw e;
  }
  if (inputValue !== undefined && !inputValue) {
    return unsupported(`falsy input ${JSON.stringify(inputValue)} (the SDK drops it)`);
  }
  let rows: unknown;
  try {
    rows = loadPolicyBundleSync({
      wasm,
      data,
      strictBuiltinErrors: kase.strictError,
      builtins: { 'test.sleep': testSleep },
    }).evaluate(inputValue, 'query');
  } catch (e) {
    if (e instanceof ExternalError) return errorOutcome(e.message);
    throw e;
  }
  if (!Array.isArray(rows)) return { kind: 'error', message: 'result set is not an array' };
  if (hasInexact(rows)) return unsupported('integer result beyond 2^53 (rounded by the SDK)');
  return { kind: 'result', bindings: rows as Bindings[] };
}

export const compiledEngine: ConformanceEngine = {
  name: 'regoc',
  run(kase): Outcome {
    const compiled = compile(
      kase.modules.map((text, i) => ({ path: `test-${i}.rego`, text })),
      { entrypoints: [], compat: true, strict: kase.strictError, query: kase.query },
    );
    if (!compiled.ok) {
      const first = compiled.diagnostics[0];
      const where = first?.location ? formatLocation(first.location) : undefined;
      if (first?.code === 'REGO_UNSUPPORTED') {
        return unsupported(`REGO_UNSUPPORTED ${first.message}`, where);
      }
      const message = compiled.diagnostics
        .map((d) => `${d.location ? formatLocation(d.location) + ': ' : ''}${d.code}: ${d.message}`)
        .join('\n');
      return { kind: 'error', message, code: first?.code };
    }
    return evaluate(kase, compiled.wasm);
  },
};
