// The one policy loader: wraps @open-policy-agent/opa-wasm's loadPolicy for certops-built and
// `opa build` modules alike. It sizes memory from the module's memory import, checks the ABI,
// refuses inputs the SDK would silently drop, and turns the SDK's thrown strings and
// {message} objects into ExternalErrors.
//
// Host builtins come from the one registry (host-builtins.ts), with the loader's clock and
// strict-builtin-errors options; time.now_ns is read once per evaluate call.
//
// Integers beyond 2^53 in a result come back exact, as bigint: when the SDK's JSON.parse result
// holds an integer that large, the evaluation is repeated through raw-eval.ts and its JSON text
// read by exact-json.ts (the common case pays one scan of the result). Set results of
// regoc modules come back sorted in OPA's order (the runtime keeps sets sorted); other modules'
// JSON dumps cannot tell a set from an array, so consumers that know a value is a set sort it
// (evaluate.ts parseResults does for certops/results). builtins() is not checked against the
// registry at load time yet: a module asking for one the registry lacks fails when called.
import type * as OpaWasm from '@open-policy-agent/opa-wasm';
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { createRequire } from 'node:module';
import { readMemoryImport } from '../regoc/backend/splice.ts';
import { Header, PLAN_HEADER_SIZE, PLAN_MAGIC } from '../regoc/backend/plan-format.ts';
import { ExternalError } from '../errors.ts';
import { hasRoundedInteger } from './exact-json.ts';
import { evaluateExact } from './raw-eval.ts';
import { createHostBuiltins, type HostBuiltin, type HostBuiltinRegistry } from './host-builtins.ts';

// The SDK's ESM entry exports only `loadPolicy` by name (its types claim `loadPolicySync` too),
// so the CommonJS entry, which has both, is required directly.
const { loadPolicy, loadPolicySync } = createRequire(import.meta.url)(
  '@open-policy-agent/opa-wasm',
) as typeof OpaWasm;

/** The SDK's default memory size; a module asking for more gets its own minimum. */
const SDK_DEFAULT_PAGES = 5;

export type { HostBuiltin };

export interface PolicyBundleSource {
  wasm: Uint8Array;
  /** data.json, set once after loading. */
  data?: unknown;
  /** Extra host builtins by Rego name (e.g. test-only ones), passed to the SDK as
   *  customBuiltins beside the registry's (host-builtins.ts); a registry name wins. */
  builtins?: Record<string, HostBuiltin>;
  /** The clock of time.now_ns, read once per evaluation (default: the system clock). */
  now?: () => bigint | Date;
  /** OPA's strict builtin errors for host builtins: an error fails the evaluation instead of
   *  making the call undefined. Default: the regoc module's own flag (compile option
   *  `strict`), false for other modules, as in OPA. */
  strictBuiltinErrors?: boolean;
}

export type ResultSet = { result: unknown }[];

export interface PolicyBundle {
  /** "pkg/rule" -> entrypoint id. */
  readonly entrypoints: Readonly<Record<string, number>>;
  /**
   * `[]` when the entrypoint is undefined, otherwise `[{ result }]`. `input` must be truthy or
   * undefined (no input): the SDK treats 0, false, "" and null as "no input".
   */
  evaluate(input: unknown, entrypoint?: string | number): ResultSet;
}

function message(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) return String(err.message);
  return String(err);
}

function memoryPages(wasm: Uint8Array): number {
  let mem;
  try {
    mem = readMemoryImport(wasm);
  } catch (err) {
    throw new ExternalError(`policy module is not valid wasm: ${message(err)}`, { cause: err });
  }
  if (!mem || mem.module !== 'env' || mem.name !== 'memory') {
    throw new ExternalError('policy module does not import env.memory; it is not an OPA module');
  }
  return Math.max(SDK_DEFAULT_PAGES, mem.minPages);
}

/** ABI globals arrive as WebAssembly.Global objects (Node 12+) or plain numbers. */
function globalValue(v: unknown): unknown {
  return typeof v === 'object' && v !== null && 'value' in v ? v.value : v;
}

/** A regoc module's strict-builtin-errors flag (plan header flags), undefined for others. */
function moduleStrict(policy: LoadedPolicy): boolean | undefined {
  const exports = (policy.wasmInstance as { exports: Record<string, unknown> }).exports;
  const base = exports.regoc_plan_base;
  const mem = (policy as unknown as { mem?: { buffer: ArrayBuffer } }).mem;
  if (typeof base !== 'function' || !mem) return undefined;
  const at = (base as () => number)();
  const view = new DataView(mem.buffer);
  if (at + PLAN_HEADER_SIZE > view.byteLength || view.getUint32(at, true) !== PLAN_MAGIC) {
    return undefined;
  }
  return (view.getUint32(at + Header.flags, true) & 1) !== 0;
}

function wrap(
  policy: LoadedPolicy,
  data: unknown,
  host: HostBuiltinRegistry,
  strict: boolean | undefined,
): PolicyBundle {
  host.setStrictBuiltinErrors(strict ?? moduleStrict(policy) ?? false);
  const exports = (policy.wasmInstance as { exports: Record<string, unknown> }).exports;
  const major = globalValue(exports.opa_wasm_abi_version);
  const minor = globalValue(exports.opa_wasm_abi_minor_version);
  if (major !== 1 || typeof minor !== 'number' || minor < 2) {
    throw new ExternalError(
      `policy module has OPA wasm ABI ${String(major)}.${String(minor)}; 1.2 or later is required`,
    );
  }
  if (data !== undefined) {
    try {
      policy.setData(data as object);
    } catch (err) {
      throw new ExternalError(`setting policy data failed: ${message(err)}`, { cause: err });
    }
  }
  const entrypoints = Object.freeze({ ...(policy.entrypoints as Record<string, number>) });
  return {
    entrypoints,
    evaluate(input, entrypoint = 0) {
      if (input !== undefined && !input) {
        throw new ExternalError(
          `policy input ${JSON.stringify(input)} is falsy; the OPA SDK would evaluate it as no input`,
          { hint: 'Wrap the value in an object, or pass undefined for no input.' },
        );
      }
      host.beginEvaluation();
      try {
        const rs = policy.evaluate(input, entrypoint) as ResultSet;
        if (!hasRoundedInteger(rs)) return rs;
        // JSON.parse may have rounded an integer beyond 2^53: evaluate again (same input, same
        // time.now_ns: the registry keeps it until the next beginEvaluation) and read exactly.
        const id = typeof entrypoint === 'number' ? entrypoint : (entrypoints[entrypoint] ?? 0);
        return evaluateExact(policy, input, id) as ResultSet;
      } catch (err) {
        throw new ExternalError(`policy evaluation failed: ${message(err)}`, { cause: err });
      }
    },
  };
}

function loadFailed(err: unknown): ExternalError {
  return err instanceof ExternalError
    ? err
    : new ExternalError(`loading the policy module failed: ${message(err)}`, { cause: err });
}

function hostRegistry(src: PolicyBundleSource): {
  host: HostBuiltinRegistry;
  custom: Record<string, HostBuiltin>;
} {
  const host = createHostBuiltins(src.now ? { now: src.now } : {});
  return { host, custom: { ...src.builtins, ...host.builtins } };
}

export async function loadPolicyBundle(src: PolicyBundleSource): Promise<PolicyBundle> {
  const pages = memoryPages(src.wasm);
  const { host, custom } = hostRegistry(src);
  try {
    const policy = await loadPolicy(src.wasm, { initial: pages }, custom);
    return wrap(policy, src.data, host, src.strictBuiltinErrors);
  } catch (err) {
    throw loadFailed(err);
  }
}

/** As loadPolicyBundle, with WebAssembly's synchronous compile (fine for small modules). */
export function loadPolicyBundleSync(src: PolicyBundleSource): PolicyBundle {
  const pages = memoryPages(src.wasm);
  const { host, custom } = hostRegistry(src);
  try {
    const policy = loadPolicySync(src.wasm, { initial: pages }, custom);
    return wrap(policy, src.data, host, src.strictBuiltinErrors);
  } catch (err) {
    throw loadFailed(err);
  }
}
