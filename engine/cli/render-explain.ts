// Text rendering of `validate --explain`.
import { stringify } from 'yaml';
import type { Explanation } from '../model/explain.ts';
import type { Style } from './style.ts';

/** YAML-shaped text with each field's origin as a trailing comment. */
export function renderExplanation(e: Explanation, style: Style): string {
  const lines = [
    style.bold(
      `# ${e.kind} "${e.name}" from ${e.file}:${e.line}:${e.col}${e.team ? ` (team ${e.team})` : ''}`,
    ),
  ];
  const rows: [string, string][] = [];
  const printed = new Set<string>();
  for (const f of e.fields) {
    const parts = f.path.split('.');
    for (let i = 0; i < parts.length - 1; i++) {
      const head = parts.slice(0, i + 1).join('.');
      if (!printed.has(head)) {
        printed.add(head);
        rows.push([`${'  '.repeat(i)}${parts[i]}:`, '']);
      }
    }
    const value = stringify(f.value, {
      flowCollectionPadding: false,
      collectionStyle: 'flow',
      lineWidth: 0,
    }).trim();
    const where = f.file ? `${f.file}:${f.line}:${f.col}` : 'built-in default';
    const label = f.origin === 'own' || f.origin === 'built-in' ? where : `${where} (${f.origin})`;
    rows.push([`${'  '.repeat(parts.length - 1)}${parts[parts.length - 1]}: ${value}`, label]);
  }
  const width = Math.min(60, Math.max(...rows.map(([l]) => l.length)) + 2);
  for (const [l, c] of rows) lines.push(c ? `${l.padEnd(width - 1)} ${style.dim(`# ${c}`)}` : l);
  const dns = (e.effective as { spec?: { dnsNames?: unknown[] } }).spec?.dnsNames;
  if (e.issuedDnsNames && dns && e.issuedDnsNames.some((n, i) => n !== dns[i])) {
    lines.push(style.dim(`# DNS names as issued: ${e.issuedDnsNames.join(', ')}`));
  }
  return `${lines.join('\n')}\n`;
}
