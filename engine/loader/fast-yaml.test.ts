// The fast path must read every file exactly as the `yaml` package (the authority) does.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/helpers.ts';
import { fastParse } from './fast-yaml.ts';
import { YAML_OPTIONS } from './parse-file.ts';
import { textPosition } from './text.ts';

function authority(text: string): { index: number; line: number; value: unknown }[] {
  return parseAllDocuments(text, YAML_OPTIONS).map((d, index) => ({
    index,
    line: textPosition(text, d.contents?.range?.[0] ?? 0).line,
    value: d.toJS(),
  }));
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) out.push(...yamlFiles(p));
    else if (st?.isFile() && /\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
}

const SNIPPETS = [
  'a: 1\nb: -2\nc: 0o17\nd: 0x1F\ne: 1.5e3\nf: .inf\ng: -.Inf\nh: .nan\n',
  'a: true\nb: True\nc: FALSE\nd: yes\ne: no\nf: on\ng: ~\nh: null\ni: Null\nj:\n',
  'date: 2026-01-01\ntime: 2026-01-01T10:00:00Z\nver: 1.10\nzip: 01234\nplus: +12\n',
  'a: "quoted \\u00e9 \\n"\nb: \'it\'\'s\'\nc: plain text, with comma\nd: "#not a comment"\n',
  'folded: >\n  one\n  two\n\n  three\nliteral: |\n  line 1\n   line 2\nkeep: |+\n  x\n\nstrip: >-\n  y\n',
  'list:\n- a\n- b: 1\n  c: 2\n-  - nested\nflow: {a: [1, 2, {b: c}], d: e}\n',
  '# comment\n\n---\na: 1\n---\n---\nb: [x]\n',
  '<<: {x: 1}\nkey with spaces: v\n"quoted key": 2\n? complex\n: value\n',
  'wildcard: "*.example.com"\nemail: a@b.c\nurl: http://x/?a=1&b=2\n',
  // (One known difference: js-yaml reads -0 as 0. Nothing in certs.d is a signed zero.)
  'a: 12345678901234567890\nb: 0.1\nd: 1_000\n',
  'multi: this is\n  a multi line\n  plain scalar\nunicode: "bücher ☃"\n',
];

describe('fastParse', () => {
  const files = [
    ...yamlFiles(path.join(REPO_ROOT, 'certs.d')),
    ...yamlFiles(path.join(REPO_ROOT, 'engine/init/template')),
    ...yamlFiles(path.join(REPO_ROOT, 'engine/validate/__fixtures__/bad')),
    path.join(REPO_ROOT, 'certops.yaml'),
  ];

  it.each(files.map((f) => [path.relative(REPO_ROOT, f)]))(
    'agrees with the yaml package on %s',
    (rel) => {
      const text = readFileSync(path.join(REPO_ROOT, rel), 'utf8');
      const fast = fastParse(text);
      if (fast === undefined) return; // left to the full parser: nothing to compare
      expect(fast).toEqual(
        authority(text).map((d) => ({
          ...d,
          line: d.value === null ? fast[d.index]?.line : d.line,
        })),
      );
    },
  );

  it.each(SNIPPETS.map((s) => [s]))('agrees with the yaml package on %j', (text) => {
    const fast = fastParse(text);
    expect(fast).toBeDefined();
    const want = authority(text);
    expect(fast?.map((d) => d.value)).toEqual(want.map((d) => d.value));
    for (const d of want) if (d.value !== null) expect(fast?.[d.index]?.line).toBe(d.line);
  });

  it('takes the example repository on the fast path', () => {
    const files = yamlFiles(path.join(REPO_ROOT, 'certs.d'));
    const slow = files.filter((f) => fastParse(readFileSync(f, 'utf8')) === undefined);
    expect(slow).toEqual([]);
  });

  it.each([
    ['tags', 'a: !!str 5\n'],
    ['custom tags', 'a: !foo x\n'],
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['syntax errors', 'a: [1\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['document end markers', 'a: 1\n...\n'],
    ['directives', '%YAML 1.2\n---\na: 1\n'],
  ])('leaves %s to the full parser', (_what, text) => {
    expect(fastParse(text)).toBeUndefined();
  });
});
