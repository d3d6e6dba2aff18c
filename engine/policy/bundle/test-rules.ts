// Finds the Rego test rules (`test_*`) of modules, as `opa test` runs them: complete rules
// whose name starts with `test_` (functions and `todo_test_*` are not tests). A line scan
// keeps the compiler's internals out of the engine; a name it finds that is not a rule is
// reported by the compiler as REGO_ENTRYPOINT.

export interface TestRule {
  /** The entrypoint: `certops/crypto/test_rsa_small`. */
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

const PACKAGE = /^package[ \t]+([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)[ \t]*(?:#.*)?$/m;
const TEST = /^(test_\w*)[ \t]*(?:if\b|\{|:=|=(?!=))/gm;

export function findTestRules(sources: readonly { path: string; text: string }[]): TestRule[] {
  const seen = new Set<string>();
  const out: TestRule[] = [];
  for (const s of sources) {
    const pkg = PACKAGE.exec(s.text)?.[1];
    if (pkg === undefined) continue;
    for (const m of s.text.matchAll(TEST)) {
      const name = `${pkg.replace(/\./g, '/')}/${m[1] as string}`;
      if (seen.has(name)) continue;
      seen.add(name);
      const line = s.text.slice(0, m.index).split('\n').length;
      out.push({ name, file: s.path, line, col: 1 });
    }
  }
  return out;
}
