// Generates engine/model/types.generated.ts from schemas/*.schema.json.
// `npm run gen:types` writes it; engine/model/types.test.ts fails when the file drifts.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderTypes } from './types-source.ts';

const out = fileURLToPath(new URL('../engine/model/types.generated.ts', import.meta.url));
writeFileSync(out, await renderTypes());
console.log(`wrote ${out}`);
