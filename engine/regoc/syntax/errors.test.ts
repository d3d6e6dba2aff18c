import { describe, expect, it } from 'vitest';
import { moduleErrors } from './test-helpers.ts';

describe('module errors', () => {
  it('names the unclosed rule body and where it started', () => {
    const [e] = moduleErrors('package t\np if {\n  x := 1\n  y := [1, 2]]\n}\n');
    expect(e?.message).toBe(
      'policy.rego:4:14: expected "}" to close the rule body started at 2:6, found "]"',
    );
    expect(e?.code).toBe('REGO_PARSE');
  });

  it('reports end of file inside a body', () => {
    const [e] = moduleErrors('package t\np if {\n  x := 1\n');
    expect(e?.detail).toBe('expected "}" to close the rule body started at 2:6, found end of file');
  });

  it('recovers at the next rule, and caps the number of errors', () => {
    const errs = moduleErrors('package t\np if { x := }\nq := 1\nr if { ) }\ns := [\n');
    expect(errs.map((e) => e.location.line)).toEqual([2, 4, 6]);
    const many = moduleErrors(`package t\n${'p if { ) }\n'.repeat(10)}`);
    expect(many).toHaveLength(3);
  });

  it('requires "if" outside compat mode, with a hint', () => {
    const [e] = moduleErrors('package t\np { true }\n', { compat: false });
    expect(e).toMatchObject({
      code: 'REGO_PARSE',
      location: { line: 2, col: 3 },
      hint: 'add `if` before "{"',
    });
  });

  it('refuses unsupported constructs with REGO_UNSUPPORTED and a location', () => {
    const cases: [string, string][] = [
      ['p { true } { false }', 'unsupported: rule with multiple bodies'],
      [
        'p[x] := 1 if { x := 1 } else := 2',
        'unsupported: rule with both else and a ref head with variables',
      ],
      ['p := $"x{1}"', 'unsupported: template strings'],
    ];
    for (const [src, detail] of cases) {
      const [e] = moduleErrors(`package t\n${src}\n`);
      expect(e).toMatchObject({
        code: 'REGO_UNSUPPORTED',
        detail,
        location: { file: 'policy.rego', line: 2 },
      });
    }
  });

  it('rejects malformed modules with REGO_PARSE', () => {
    const cases: [string, string][] = [
      ['p := 1', 'expected "package" at the start of the module, found "p"'],
      ['package t\np := 1 q := 2', 'expected a newline after the rule, found "q"'],
      ['package t\ndefault p', 'a default rule needs ":= value"'],
      [
        'package t\np contains x if { x } else := 1',
        '"else" cannot be used on a multi-value ("contains") rule',
      ],
      ['package t\np := 1\nimport data.x', 'imports must come before the rules'],
      ['package t\np if', 'expected a rule body after "if", found end of file'],
      ['package t\nf(x) contains 1', 'a function cannot use "contains"'],
    ];
    for (const [src, detail] of cases) {
      const [e] = moduleErrors(src);
      expect(e).toMatchObject({ code: 'REGO_PARSE', detail });
    }
  });

  it('bounds nesting depth instead of overflowing the stack', () => {
    const [e] = moduleErrors(`package t\np := ${'['.repeat(5000)}1${']'.repeat(5000)}\n`);
    expect(e?.detail).toContain('nesting deeper than');
  });
});
