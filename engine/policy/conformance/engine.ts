// The engine `certops policy conformance` runs: the most capable one available — compile with
// regoc, evaluate through the real opa-wasm SDK, judge.
import type { ConformanceEngine } from './runner.ts';
import { compiledEngine } from './compiled.ts';

export const CONFORMANCE_ENGINE: ConformanceEngine = compiledEngine;
