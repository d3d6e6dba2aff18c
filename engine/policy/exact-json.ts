// JSON with exact integers: JSON.parse, except that an integer literal outside ±(2^53 − 1)
// becomes a bigint instead of a rounded number. Used for policy results, where nanosecond
// times and certificate serials must not lose precision silently.
//
// Contract: the same values as JSON.parse for every other token; a non-integer literal (with a
// fraction or exponent) stays a number, as OPA's JSON does. Throws SyntaxError on bad JSON.

/** Integer literals (outside strings) whose magnitude may exceed 2^53, with their offsets. */
function bigIntegerTokens(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // skip a string, honouring escapes
      i++;
      while (i < n && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i++;
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (
          (d >= 0x30 && d <= 0x39) ||
          d === 0x2e ||
          d === 0x65 ||
          d === 0x45 ||
          d === 0x2b ||
          d === 0x2d
        )
          i++;
        else break;
      }
      const tok = text.slice(start, i);
      const digits = tok.startsWith('-') ? tok.length - 1 : tok.length;
      if (digits >= 16 && /^-?\d+$/.test(tok) && !Number.isSafeInteger(Number(tok)))
        out.push({ start, end: i });
      continue;
    }
    i++;
  }
  return out;
}

function revive(v: unknown, mark: string): unknown {
  if (typeof v === 'string') return v.startsWith(mark) ? BigInt(v.slice(mark.length)) : v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i], mark);
    return v;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = revive(o[k], mark);
  }
  return v;
}

/** True when `text` holds an integer literal JSON.parse would round. */
export function hasUnsafeInteger(text: string): boolean {
  return bigIntegerTokens(text).length > 0;
}

export function parseJsonExact(text: string): unknown {
  const big = bigIntegerTokens(text);
  if (big.length === 0) return JSON.parse(text);
  // A marker no string of the text can start with: NUL plus a tag the text does not contain.
  let tag = 0;
  while (text.includes(`certops-bigint-${tag}:`)) tag++;
  const escaped = `\\u0000certops-bigint-${tag}:`;
  let out = '';
  let at = 0;
  for (const t of big) {
    out += `${text.slice(at, t.start)}"${escaped}${text.slice(t.start, t.end)}"`;
    at = t.end;
  }
  out += text.slice(at);
  return revive(JSON.parse(out), `\u0000certops-bigint-${tag}:`);
}

/** True when a parsed value holds an integer-valued number beyond 2^53 (possibly rounded).
 *  On every evaluation's result: loops without allocating. */
export function hasRoundedInteger(v: unknown): boolean {
  if (typeof v === 'number') return (v > MAX_SAFE || v < -MAX_SAFE) && Number.isInteger(v);
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasRoundedInteger(v[i])) return true;
    return false;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) if (hasRoundedInteger(o[k])) return true;
  return false;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
