// Go RE2 syntax (the `regexp` package OPA's regex builtins use) translated to a JavaScript
// RegExp with the `u` flag. The translation is a refusal layer: a construct is translated only
// where the JS pattern matches exactly the strings the Go one does (regex.match asks only
// whether a match exists, so greediness and leftmost-first rules do not matter). Anything
// else throws Re2Unsupported; the few syntax errors whose Go text is known are Re2SyntaxError
// with Go's message ("error parsing regexp: missing closing ]: `[`").
//
// Known limits: RE2 matches in linear time, JS backtracks, so a pathological pattern can be
// slow here; case folding (`(?i)`) relies on JS's Unicode simple case folding; `\p{…}` only
// for general categories; flags only as one group at the very start of the pattern.

export class Re2Unsupported extends Error {}
export class Re2SyntaxError extends Error {}

const unsupported = (what: string): never => {
  throw new Re2Unsupported(`regular expression ${what}`);
};
const syntax = (code: string, expr: string): never => {
  throw new Re2SyntaxError(`error parsing regexp: ${code}: \`${expr}\``);
};

/** Go's \s, and the complement of it as class items. */
const SPACE_ITEMS = '\\t\\n\\f\\r ';
const NON_SPACE_ITEMS = '\\0-\\x08\\x0B\\x0E-\\x1F\\x21-\\u{10FFFF}';

const POSIX: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\0-\\x7F',
  blank: '\\t ',
  cntrl: '\\0-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`\\{-~',
  space: '\\t\\n\\x0B\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const CATEGORIES = new Set(
  (
    'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps ' +
    'S Sc Sk Sm So Z Zl Zp Zs'
  ).split(' '),
);

const MAX_REPEAT = 1000;

/** A code point as a JS pattern atom (inside a class when `inClass`). */
function literal(cp: number, inClass: boolean): string {
  const c = String.fromCodePoint(cp);
  if ('^$\\.*+?()[]{}|/'.includes(c) || (inClass && c === '-')) return '\\' + c;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return c;
}

interface Translated {
  readonly source: string;
  readonly flags: string;
}

/** Go pattern -> JS RegExp source and flags (always `u`). */
export function translateRe2(pattern: string): Translated {
  const cps = Array.from(pattern, (c) => c.codePointAt(0) as number);
  let i = 0;
  let fold = false;
  let multiline = false;
  let dotAll = false;
  // Flags: one `(?flags)` group at the very start.
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (lead) {
    const f = lead[1] as string;
    if (f.includes('U')) unsupported('flag U');
    if (new Set(f).size !== f.length) unsupported('flags');
    fold = f.includes('i');
    multiline = f.includes('m');
    dotAll = f.includes('s');
    i = lead[0].length;
  }
  const peek = (k = 0): number | undefined => cps[i + k];
  const ch = (k = 0): string => {
    const c = cps[i + k];
    return c === undefined ? '' : String.fromCodePoint(c);
  };

  let out = '';
  // Per open group: whether it contains a counted repetition.
  const groups: { counted: boolean }[] = [{ counted: false }];
  /** What a repetition operator would apply to: none (start, `(`, `|`), an assertion, an atom. */
  let last: 'none' | 'assert' | 'atom' | 'repeat' = 'none';
  let lastAtomCounted = false;

  const atom = (s: string, counted = false): void => {
    out += s;
    last = 'atom';
    lastAtomCounted = counted;
  };

  /** An escape after `\` (i at the char after it); returns class items or an atom. */
  function escape(inClass: boolean): { items: string; single?: number } {
    const c = ch();
    const cp = peek();
    if (cp === undefined) return unsupported('ending in a backslash');
    i++;
    if (c >= '0' && c <= '7') {
      if (c !== '0' && !(ch() >= '0' && ch() <= '7')) unsupported(`escape \\${c}`);
      let digits = c;
      while (digits.length < 3 && ch() >= '0' && ch() <= '7') {
        digits += ch();
        i++;
      }
      const v = parseInt(digits, 8);
      return { items: literal(v, inClass), single: v };
    }
    if (c === 'x') {
      let hex: string;
      if (ch() === '{') {
        const end = cps.indexOf(0x7d, i);
        if (end < 0) return unsupported('escape \\x{');
        hex = String.fromCodePoint(...cps.slice(i + 1, end));
        i = end + 1;
        if (!/^[0-9A-Fa-f]{1,6}$/.test(hex)) unsupported('escape \\x{…}');
      } else {
        hex = ch() + ch(1);
        i += 2;
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) unsupported('escape \\x');
      }
      const v = parseInt(hex, 16);
      if (v > 0x10ffff) unsupported('escape \\x{…} beyond Unicode');
      return { items: literal(v, inClass), single: v };
    }
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (simple[c] !== undefined) return { items: literal(simple[c], inClass), single: simple[c] };
    if (c === 'd' || c === 'D') return { items: '\\' + c };
    if (c === 'w' || c === 'W') {
      if (fold) unsupported('\\w with (?i)');
      return { items: '\\' + c };
    }
    if (c === 's') return { items: inClass ? SPACE_ITEMS : `[${SPACE_ITEMS}]` };
    if (c === 'S') return { items: inClass ? NON_SPACE_ITEMS : `[^${SPACE_ITEMS}]` };
    if (c === 'p' || c === 'P') {
      let name: string;
      if (ch() === '{') {
        const end = cps.indexOf(0x7d, i);
        if (end < 0) return unsupported('escape \\p{');
        name = String.fromCodePoint(...cps.slice(i + 1, end));
        i = end + 1;
      } else {
        name = ch();
        i++;
      }
      if (!CATEGORIES.has(name)) unsupported(`class \\p{${name}}`);
      return { items: `\\${c}{${name}}` };
    }
    if (cp < 0x80 && !/[0-9A-Za-z_]/.test(c)) return { items: literal(cp, inClass), single: cp };
    return unsupported(`escape \\${c}`);
  }

  function parseClass(): void {
    const start = i;
    i++; // [
    let s = '[';
    if (ch() === '^') {
      s += '^';
      i++;
    }
    let first = true;
    while (first || ch() !== ']') {
      if (peek() === undefined) {
        syntax('missing closing ]', String.fromCodePoint(...cps.slice(start)));
      }
      first = false;
      if (ch() === '[' && ch(1) === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(String.fromCodePoint(...cps.slice(i)));
        if (m && POSIX[m[2] as string] !== undefined) {
          if (m[1]) unsupported('negated POSIX class');
          s += POSIX[m[2] as string];
          i += m[0].length;
          continue;
        }
        if (m) unsupported('POSIX class name');
      }
      let lo: number;
      if (ch() === '\\') {
        i++;
        const e = escape(true);
        if (e.single === undefined) {
          s += e.items;
          continue;
        }
        lo = e.single;
      } else {
        lo = peek() as number;
        i++;
      }
      if (ch() === '-' && peek(1) !== undefined && ch(1) !== ']') {
        i++;
        let hi: number;
        if (ch() === '\\') {
          i++;
          const e = escape(true);
          if (e.single === undefined) return unsupported('class range to a class');
          hi = e.single;
        } else {
          hi = peek() as number;
          i++;
        }
        if (hi < lo) unsupported('class range out of order');
        s += literal(lo, true) + '-' + literal(hi, true);
      } else s += literal(lo, true);
    }
    i++; // ]
    atom(s + ']');
  }

  function repeat(op: string): void {
    if (last === 'none') syntax('missing argument to repetition operator', op);
    if (last !== 'atom') unsupported(`repetition ${op} here`);
    out += op;
    last = 'repeat';
  }

  while (i < cps.length) {
    const c = ch();
    if (c === '\\') {
      if (ch(1) === 'Q') {
        // Literal text up to \E; a repetition after it applies to its last character.
        i += 2;
        while (i < cps.length && !(ch() === '\\' && ch(1) === 'E')) {
          atom(literal(peek() as number, false));
          i++;
        }
        if (i < cps.length) i += 2;
        continue;
      }
      if (ch(1) === 'A' || ch(1) === 'z') {
        out += ch(1) === 'A' ? '(?<![\\s\\S])' : '(?![\\s\\S])';
        last = 'assert';
        i += 2;
        continue;
      }
      if (ch(1) === 'b' || ch(1) === 'B') {
        if (fold) unsupported('\\b with (?i)');
        out += '\\' + ch(1);
        last = 'assert';
        i += 2;
        continue;
      }
      i++;
      atom(escape(false).items);
      continue;
    }
    if (c === '[') {
      parseClass();
      continue;
    }
    i++;
    switch (c) {
      case '.':
        atom(dotAll ? '[\\s\\S]' : '[^\\n]');
        break;
      case '^':
        out += multiline ? '(?<![^\\n])' : '^';
        last = 'assert';
        break;
      case '$':
        out += multiline ? '(?![^\\n])' : '$';
        last = 'assert';
        break;
      case '|':
        out += '|';
        last = 'none';
        break;
      case '(': {
        if (ch() === '?') {
          const rest = String.fromCodePoint(...cps.slice(i));
          const named = /^\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
          if (rest.startsWith('?:')) {
            out += '(?:';
            i += 2;
          } else if (named) {
            out += `(?<${named[1] as string}>`;
            i += named[0].length;
          } else unsupported('group syntax (?…');
        } else out += '(';
        groups.push({ counted: false });
        last = 'none';
        break;
      }
      case ')': {
        if (groups.length < 2) syntax('unexpected )', pattern);
        const g = groups.pop() as { counted: boolean };
        if (g.counted) (groups[groups.length - 1] as { counted: boolean }).counted = true;
        out += ')';
        last = 'atom';
        lastAtomCounted = g.counted;
        break;
      }
      case '*':
      case '+':
      case '?': {
        let op = c;
        if (ch() === '?') {
          op += '?';
          i++;
        }
        if ((last as string) === 'repeat') unsupported(`nested repetition ${op}`);
        repeat(op);
        break;
      }
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(String.fromCodePoint(...cps.slice(i - 1)));
        if (!m) {
          atom('\\{');
          break;
        }
        const min = Number(m[1]);
        const max = m[3] !== undefined && m[3] !== '' ? Number(m[3]) : min;
        if (min > MAX_REPEAT || max > MAX_REPEAT || max < min) unsupported('repeat count');
        if (lastAtomCounted) unsupported('nested counted repetition');
        if ((last as string) === 'repeat') unsupported('nested repetition');
        i += m[0].length - 1;
        let op = m[0];
        if (ch() === '?') {
          op += '?';
          i++;
        }
        repeat(op);
        (groups[groups.length - 1] as { counted: boolean }).counted = true;
        break;
      }
      default:
        atom(literal(c.codePointAt(0) as number, false));
    }
  }
  if (groups.length !== 1) syntax('missing closing )', pattern);
  const flags = 'u' + (fold ? 'i' : '');
  try {
    new RegExp(out, flags);
  } catch {
    unsupported(`that JavaScript cannot express: ${pattern}`);
  }
  return { source: out, flags };
}

const cache = new Map<string, RegExp>();

/** Does `value` contain a match of the Go pattern? Throws Re2Unsupported / Re2SyntaxError. */
export function re2Match(pattern: string, value: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    const t = translateRe2(pattern);
    re = new RegExp(t.source, t.flags);
    if (cache.size > 256) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(value);
}
