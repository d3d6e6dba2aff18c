// Writes docs/reference/kinds.md from the schemas (see reference-source.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderDiagnostics, renderPlanReference, renderReference } from './reference-source.ts';

const out = fileURLToPath(new URL('../docs/reference/kinds.md', import.meta.url));
mkdirSync(fileURLToPath(new URL('../docs/reference/', import.meta.url)), { recursive: true });
writeFileSync(out, renderReference());
const diag = fileURLToPath(new URL('../docs/reference/diagnostics.md', import.meta.url));
writeFileSync(diag, renderDiagnostics());
writeFileSync(
  fileURLToPath(new URL('../docs/reference/plan.md', import.meta.url)),
  renderPlanReference(),
);
console.log(`wrote ${out} and ${diag}`);
