// The registry of host builtins: the OPA builtins a policy module calls back into JavaScript
// for (regoc's `host` kind in check/builtins.ts, and the same names for `opa build` modules).
// The loader passes `builtins` to the SDK as customBuiltins; the SDK hands every argument over
// as JSON and loads the result as JSON.
//
// Contract, per call:
// - arguments and results are JSON values; an integer beyond 2^53 in either (which the JSON
//   channel would round) throws `regoc:unsupported: …`, as does any input whose OPA answer this
//   registry does not reproduce exactly;
// - a builtin error as OPA raises it (bad regex, bad CIDR, operand type) is, as in OPA, an
//   error only under strict builtin errors (`regoc:<code>: <name>: <text>`, thrown; codes
//   eval_builtin_error / eval_type_error) and otherwise makes the call undefined; with strict
//   errors an error whose OPA text is not known exactly is `regoc:unsupported` instead;
// - `time.now_ns` reads the injected clock once per evaluation (OPA caches it per query);
//   `beginEvaluation()` starts the next one. regoc modules import it as `regoc.time.now_ns`,
//   which answers JSON text (the value is beyond 2^53); `time.now_ns` itself answers a number
//   only when the clock value is exact as one.
import { systemClock } from '../clock.ts';
import { cidrHolds, cidrHoldsCidr, CidrUnsupported, parseCidr, parseIp } from './ip-cidr.ts';
import { re2Match, Re2SyntaxError, Re2Unsupported } from './re2.ts';

export type HostBuiltin = (...args: unknown[]) => unknown;

export interface HostBuiltinOptions {
  /** The clock for time.now_ns: nanoseconds since the epoch, or a Date (default: the system
   *  clock, engine/clock.ts). */
  readonly now?: () => bigint | Date;
  /** OPA's strict builtin errors (default false: an erroring call is undefined). */
  readonly strictBuiltinErrors?: boolean;
}

export interface HostBuiltinRegistry {
  /** By Rego name, for the SDK's customBuiltins. */
  readonly builtins: Readonly<Record<string, HostBuiltin>>;
  /** Call before each evaluation: the clock is read again at the next time.now_ns. */
  beginEvaluation(): void;
  /** Changes the strict-builtin-errors setting (the loader applies a module's own flag). */
  setStrictBuiltinErrors(strict: boolean): void;
}

/** An error OPA's builtin raises; `exact` when `message` is OPA's text. */
class BuiltinError extends Error {
  constructor(
    readonly code: 'eval_builtin_error' | 'eval_type_error',
    message: string,
    readonly exact: boolean,
  ) {
    super(message);
  }
}

class Inexact extends Error {}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** The string operand `i` (1-based); a type error otherwise (its text is not claimed exact:
 *  a set argument arrives as an array). */
function str(v: unknown, i: number): string {
  if (typeof v !== 'string') {
    throw new BuiltinError(
      'eval_type_error',
      `operand ${i} must be string but got ${typeName(v)}`,
      false,
    );
  }
  return v;
}

function checkExact(v: unknown, what: string): void {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
      throw new Inexact(`${what} holds an integer beyond 2^53`);
    }
  } else if (Array.isArray(v)) v.forEach((x) => checkExact(x, what));
  else if (v !== null && typeof v === 'object') {
    Object.values(v).forEach((x) => checkExact(x, what));
  }
}

function regexMatch(pattern: unknown, value: unknown): boolean {
  const p = str(pattern, 1);
  const s = str(value, 2);
  try {
    return re2Match(p, s);
  } catch (e) {
    if (e instanceof Re2SyntaxError) throw new BuiltinError('eval_builtin_error', e.message, true);
    throw e;
  }
}

function cidrContains(a: unknown, b: unknown): boolean {
  const cidrA = str(a, 1);
  const other = str(b, 2);
  const net = parseCidr(cidrA);
  if (!net) throw new BuiltinError('eval_builtin_error', `invalid CIDR address: ${cidrA}`, true);
  const ip = parseIp(other);
  if (ip) return cidrHolds(net, ip);
  const sub = parseCidr(other);
  if (!sub) throw new BuiltinError('eval_builtin_error', `invalid CIDR address: ${other}`, true);
  return cidrHoldsCidr(net, sub);
}

/** Go's base64.StdEncoding: padded, standard alphabet, CR and LF ignored. The decoded bytes
 *  must be UTF-8 (OPA's string would hold raw bytes, which JSON cannot carry). */
function base64Decode(v: unknown): string {
  const s = str(v, 1).replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) {
    // Go names the offending byte offset; that text is not reproduced.
    throw new BuiltinError('eval_builtin_error', 'illegal base64 data', false);
  }
  const bytes = Buffer.from(s, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Inexact('the decoded bytes are not UTF-8');
  }
}

export function createHostBuiltins(opts: HostBuiltinOptions = {}): HostBuiltinRegistry {
  const clock = opts.now ?? ((): Date => systemClock.now());
  let cachedNow: bigint | undefined;
  const nowNs = (): bigint => {
    if (cachedNow === undefined) {
      const t = clock();
      cachedNow = typeof t === 'bigint' ? t : BigInt(t.getTime()) * 1_000_000n;
    }
    return cachedNow;
  };
  let strict = opts.strictBuiltinErrors ?? false;

  const wrap =
    (name: string, f: (...args: unknown[]) => unknown): HostBuiltin =>
    (...args) => {
      try {
        checkExact(args, `${name}: an argument`);
        const r = f(...args);
        checkExact(r, `${name}: the result`);
        return r;
      } catch (e) {
        if (e instanceof BuiltinError) {
          if (!strict) return undefined;
          if (!e.exact) throw new Error(`regoc:unsupported: ${name}: ${e.message} (OPA's text)`);
          throw new Error(`regoc:${e.code}: ${name}: ${e.message}`);
        }
        if (e instanceof Inexact || e instanceof Re2Unsupported || e instanceof CidrUnsupported) {
          throw new Error(`regoc:unsupported: ${name}: ${e.message}`);
        }
        throw e;
      }
    };

  const table: Record<string, (...args: unknown[]) => unknown> = {
    'regex.match': regexMatch,
    re_match: regexMatch,
    'net.cidr_contains': cidrContains,
    'base64.decode': base64Decode,
    'regoc.time.now_ns': () => nowNs().toString(),
    'time.now_ns': () => {
      const ns = nowNs();
      if (ns > BigInt(Number.MAX_SAFE_INTEGER) || ns < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new Inexact('the clock value is beyond 2^53');
      }
      return Number(ns);
    },
  };
  return {
    builtins: Object.fromEntries(Object.entries(table).map(([k, f]) => [k, wrap(k, f)])),
    beginEvaluation() {
      cachedNow = undefined;
    },
    setStrictBuiltinErrors(s) {
      strict = s;
    },
  };
}

/** The names the registry answers. */
export const HOST_BUILTIN_NAMES: readonly string[] = Object.keys(
  createHostBuiltins().builtins,
).sort();
