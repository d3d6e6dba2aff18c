// Test helper: an exact JSON reader and seeded generators. Numbers are read as their exact
// decimal value in a canonical spelling, so texts can be compared by value with no f64
// rounding; objects keep their pairs in text order, so key order can be checked too.

export type Exact =
  null | boolean | string | { num: string } | Exact[] | { pairs: [string, Exact][] };

/** Canonical spelling of a JSON number's exact value: "0", or [-]digits "e" exp with value
 *  0.digits × 10^exp and no leading or trailing zeros in digits. */
export function canonicalNumber(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`not a JSON number: ${text}`);
  const [, sign, int = '', frac = '', exp = '0'] = m;
  const all = int + frac;
  const lead = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(lead).replace(/0+$/, '');
  if (digits === '') return '0';
  return `${sign}${digits}e${int.length - lead + Number(exp)}`;
}

/** Reads JSON text exactly (throws on bad syntax). */
export function parseExact(text: string): Exact {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const value = (): Exact => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const pairs: [string, Exact][] = [];
      ws();
      if (text[i] === '}') return (i++, { pairs });
      for (;;) {
        ws();
        const k = value();
        if (typeof k !== 'string') throw new Error('key');
        ws();
        if (text[i++] !== ':') throw new Error(':');
        pairs.push([k, value()]);
        ws();
        const d = text[i++];
        if (d === '}') return { pairs };
        if (d !== ',') throw new Error(',');
      }
    }
    if (c === '[') {
      i++;
      const items: Exact[] = [];
      ws();
      if (text[i] === ']') return (i++, items);
      for (;;) {
        items.push(value());
        ws();
        const d = text[i++];
        if (d === ']') return items;
        if (d !== ',') throw new Error(',');
      }
    }
    const m = /^(?:"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      text.slice(i, i + 100_000),
    );
    if (!m) throw new Error(`bad JSON at ${i}`);
    i += m[0].length;
    const t = m[0];
    if (t.startsWith('"')) return JSON.parse(t) as string;
    if (t === 'true' || t === 'false' || t === 'null') return JSON.parse(t) as Exact;
    return { num: canonicalNumber(t) };
  };
  const v = value();
  ws();
  if (i !== text.length) throw new Error('trailing text');
  return v;
}

const utf8 = new TextEncoder();
export function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++)
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

/** What the runtime should make of a document: last duplicate key wins, keys in UTF-8 order. */
export function canonicalize(v: Exact): Exact {
  if (Array.isArray(v)) return v.map(canonicalize);
  if (v !== null && typeof v === 'object' && 'pairs' in v) {
    const map = new Map<string, Exact>();
    for (const [k, x] of v.pairs) {
      map.delete(k);
      map.set(k, canonicalize(x));
    }
    return { pairs: [...map].sort((a, b) => compareUtf8(a[0], b[0])) };
  }
  return v;
}

/** mulberry32: a small deterministic PRNG in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

export function randomDigits(r: () => number, n: number): string {
  let s = String(1 + Math.floor(r() * 9));
  for (let i = 1; i < n; i++) s += String(Math.floor(r() * 10));
  return s;
}

/** A random BigInt with up to `maxDigits` digits, biased towards the i64 edges. */
export function randomBigInt(r: () => number, maxDigits: number): bigint {
  const edge = [0n, 1n, (1n << 63n) - 1n, 1n << 63n, 1n << 64n, (1n << 62n) + 7n, 10n ** 18n];
  let v: bigint;
  const k = r();
  if (k < 0.25) v = pick(r, edge) + BigInt(Math.floor(r() * 5) - 2);
  else if (k < 0.5) v = BigInt(Math.floor(r() * 2 ** 31));
  else v = BigInt(randomDigits(r, 1 + Math.floor(r() * maxDigits)));
  return r() < 0.5 ? -v : v;
}

/** A random finite double from random bits (all magnitudes, subnormals included). */
export function randomDouble(r: () => number): number {
  const view = new DataView(new ArrayBuffer(8));
  for (;;) {
    view.setUint32(0, Math.floor(r() * 2 ** 32));
    view.setUint32(4, Math.floor(r() * 2 ** 32));
    const x = view.getFloat64(0);
    if (Number.isFinite(x)) return x;
  }
}

/** Random number text: ints, big ints, JS doubles, long decimal mantissas with exponents. */
export function randomNumberText(r: () => number): string {
  const k = r();
  if (k < 0.3) return String(randomBigInt(r, 45));
  if (k < 0.6) return String(randomDouble(r));
  const sign = r() < 0.3 ? '-' : '';
  const int = r() < 0.3 ? '0' : randomDigits(r, 1 + Math.floor(r() * 20));
  const frac =
    r() < 0.5
      ? ''
      : '.' +
        randomDigits(r, 1 + Math.floor(r() * 20))
          .split('')
          .reverse()
          .join('');
  const exp =
    r() < 0.5 ? '' : pick(r, ['e', 'E']) + pick(r, ['', '+', '-']) + String(Math.floor(r() * 340));
  return sign + int + (frac === '' && exp === '' ? '.5' : frac) + exp;
}

const CHARS = [
  'a',
  'Z',
  '0',
  ' ',
  '"',
  '\\',
  '/',
  '\n',
  '\t',
  '\u0001',
  '\u001f',
  'é',
  '世',
  '\u{1f600}',
  '\u{10ffff}',
  '\u2028',
  '\u007f',
];

export function randomString(r: () => number): string {
  let s = '';
  const n = Math.floor(r() * 8);
  for (let i = 0; i < n; i++) s += pick(r, CHARS);
  return s;
}

/** A random document and its JSON text (duplicate keys appear now and then). */
export function randomDoc(r: () => number, depth: number): { text: string; model: Exact } {
  const k = r();
  if (depth <= 0 || k < 0.45) {
    const s = r();
    if (s < 0.1) return { text: 'null', model: null };
    if (s < 0.2) {
      const b = r() < 0.5;
      return { text: String(b), model: b };
    }
    if (s < 0.6) {
      const t = randomNumberText(r);
      return { text: t, model: { num: canonicalNumber(t) } };
    }
    const str = randomString(r);
    return { text: JSON.stringify(str), model: str };
  }
  const n = Math.floor(r() * 6);
  if (k < 0.7) {
    const items = Array.from({ length: n }, () => randomDoc(r, depth - 1));
    return { text: `[${items.map((x) => x.text).join(',')}]`, model: items.map((x) => x.model) };
  }
  const keys: string[] = [];
  const pairs: [string, Exact][] = [];
  const texts: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = keys.length > 0 && r() < 0.15 ? pick(r, keys) : randomString(r);
    keys.push(key);
    const v = randomDoc(r, depth - 1);
    pairs.push([key, v.model]);
    texts.push(`${JSON.stringify(key)}:${v.text}`);
  }
  return { text: `{${texts.join(',')}}`, model: { pairs } };
}
