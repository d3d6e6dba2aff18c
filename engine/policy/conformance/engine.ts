// The engine `certops policy conformance` runs: the most capable one available.
import type { ConformanceEngine } from './runner.ts';
import { frontEndEngine } from './front-end.ts';

export const CONFORMANCE_ENGINE: ConformanceEngine = frontEndEngine;
