// Worker thread for parse-many.ts: reads and parses its share of files and posts the results.
// Plain JavaScript so it can start without a TypeScript loader, then registers tsx for the rest.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { readAndParse } = await import('./parse-many.ts');
const { root, files, limits } = workerData;
const out = [];
for (const f of files) out.push(await readAndParse(root, f, limits));
parentPort.postMessage(out);
