import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './limits.ts';
import { parseYamlFile } from './parse-file.ts';

const parse = (text: string | Uint8Array, limits = DEFAULT_LIMITS) =>
  parseYamlFile('certs.d/x.yaml', typeof text === 'string' ? Buffer.from(text) : text, limits);

describe('parseYamlFile', () => {
  it('parses every document with its start position, skipping empty ones', () => {
    const r = parse('a: 1\n---\n---\n# only a comment\nb: 2\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.docs.map((d) => [d.index, d.line, d.value])).toEqual([
      [0, 1, { a: 1 }],
      [2, 5, { b: 2 }],
    ]);
  });

  it('drops a UTF-8 byte order mark and accepts CRLF line ends', () => {
    const r = parse(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: 1\r\nb: x\r\n')]),
    );
    expect(r.docs[0]?.value).toEqual({ a: 1, b: 'x' });
  });

  it('uses the YAML 1.2 core schema: no dates, no yes/no booleans, no merge keys', () => {
    const r = parse('d: 2026-01-01\nb: yes\nn: no\n<<: {x: 1}\n');
    expect(r.docs[0]?.value).toEqual({ d: '2026-01-01', b: 'yes', n: 'no', '<<': { x: 1 } });
  });

  it('reports position of invalid UTF-8', () => {
    const r = parse(Buffer.from([0x61, 0x3a, 0x20, 0x0a, 0x62, 0x3a, 0x20, 0xff]));
    expect(r.diagnostics).toMatchObject([{ code: 'not-utf8', line: 2, col: 4 }]);
    expect(r.docs).toEqual([]);
  });

  it('refuses an alias bomb without expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `l${i}: &l${i} [${Array(10)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(', ')}]`,
      );
    const r = parse(`${levels.join('\n')}\n`);
    expect(r.diagnostics).toMatchObject([{ code: 'yaml-alias-limit' }]);
  });

  it('refuses deep nesting before parsing, and wide indentation', () => {
    expect(parse(`a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`).diagnostics).toMatchObject([
      { code: 'yaml-too-deep', line: 1 },
    ]);
    expect(parse(`a:\n${' '.repeat(300)}b: 1\n`).diagnostics).toMatchObject([
      { code: 'yaml-too-deep', line: 2 },
    ]);
    // Brackets inside quoted strings and comments do not count.
    expect(
      parse(`a: "${'['.repeat(100)}"\nb: '${'{'.repeat(100)}'\n# ${'['.repeat(100)}\n`).diagnostics,
    ).toEqual([]);
  });

  it('refuses oversize files before decoding them', () => {
    const r = parse('a: 1\n'.repeat(300), { ...DEFAULT_LIMITS, maxFileBytes: 1024 });
    expect(r.diagnostics).toMatchObject([{ code: 'file-too-large', line: 0 }]);
  });

  it('reports every syntax error, each with a position', () => {
    const r = parse('a: 1\na: 2\nb: [1\n');
    expect(r.diagnostics.map((d) => d.code)).toContain('yaml-duplicate-key');
    for (const d of r.diagnostics) expect(d.line).toBeGreaterThan(0);
  });

  it('refuses explicit tags, including custom ones', () => {
    expect(parse('a: !!binary aGk=\n').diagnostics).toMatchObject([
      { code: 'yaml-tag', line: 1, col: 4 },
    ]);
    expect(parse('a: !js/function x\n').diagnostics.map((d) => d.code)).toContain('yaml-tag');
  });
});
