// A small ustar (POSIX.1-1988) writer and a reader for untrusted archives. The writer is
// deterministic: entries sorted by name, mode 0644, uid/gid 0, mtime 0, no user or group names.
// The reader accepts ustar, GNU and PAX archives (what Go's archive/tar, i.e. `opa build`,
// writes) but only regular files: links, devices and FIFOs are refused, directories skipped.
// Names are checked by entry-name.ts; the reader never touches the file system.

export interface TarEntry {
  /** The name as stored (not normalised). */
  readonly name: string;
  readonly data: Uint8Array;
}

export interface TarLimits {
  readonly maxEntries: number;
  readonly maxEntryBytes: number;
}

/** A malformed or refused archive; `unsafe` marks entries refused for safety. */
export class TarError extends Error {
  constructor(
    message: string,
    readonly unsafe = false,
  ) {
    super(message);
  }
}

const BLOCK = 512;
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });

function putString(h: Uint8Array, off: number, len: number, s: string): void {
  const b = enc.encode(s);
  if (b.length > len) throw new TarError(`tar field too long: ${s}`);
  h.set(b, off);
}

function putOctal(h: Uint8Array, off: number, len: number, n: number): void {
  putString(h, off, len, `${n.toString(8).padStart(len - 1, '0')}\0`);
}

/** Splits a long name into ustar's prefix (155 bytes) and name (100 bytes) at a '/'. */
function splitName(name: string): [prefix: string, name: string] {
  if (enc.encode(name).length <= 100) return ['', name];
  for (let i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const [p, n] = [name.slice(0, i), name.slice(i + 1)];
    if (enc.encode(p).length <= 155 && enc.encode(n).length <= 100 && n !== '') return [p, n];
  }
  throw new TarError(`name too long for ustar: ${name}`);
}

function header(name: string, size: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const [prefix, base] = splitName(name);
  putString(h, 0, 100, base);
  putOctal(h, 100, 8, 0o644);
  putOctal(h, 108, 8, 0);
  putOctal(h, 116, 8, 0);
  putOctal(h, 124, 12, size);
  putOctal(h, 136, 12, 0);
  h.fill(0x20, 148, 156);
  h[156] = 0x30; // '0': regular file
  putString(h, 257, 6, 'ustar\0');
  putString(h, 263, 2, '00');
  putString(h, 345, 155, prefix);
  const sum = h.reduce((a, b) => a + b, 0);
  putString(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** An uncompressed tar of `entries`, sorted by name; duplicate names are an error. */
export function writeTar(entries: readonly TarEntry[]): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const parts: Uint8Array[] = [];
  let prev: string | undefined;
  for (const e of sorted) {
    if (e.name === prev) throw new TarError(`duplicate entry ${e.name}`);
    prev = e.name;
    parts.push(header(e.name, e.data.length), e.data);
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function cString(b: Uint8Array): string {
  const end = b.indexOf(0);
  return dec.decode(end < 0 ? b : b.subarray(0, end));
}

function octal(b: Uint8Array, field: string): number {
  if ((b[0] ?? 0) & 0x80) throw new TarError(`${field} uses base-256 encoding (too large)`);
  const s = cString(b).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarError(`${field} is not an octal number: ${s}`);
  return parseInt(s, 8);
}

function checksumOk(h: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] as number);
  return octal(h.subarray(148, 156), 'checksum') === sum;
}

/** PAX records: "<len> <key>=<value>\n". Only `path` and `size` matter here. */
function paxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const text = dec.decode(data);
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(' ', i);
    const len = parseInt(text.slice(i, sp), 10);
    if (sp < 0 || !Number.isInteger(len) || len <= 0) throw new TarError('malformed PAX header');
    const rec = text.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq < 0) throw new TarError('malformed PAX record');
    out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

const KIND: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '6': 'a FIFO',
  '7': 'a contiguous file',
};

/** The regular files of a tar archive, in archive order. Throws TarError. */
export function readTar(tar: Uint8Array, limits: TarLimits): TarEntry[] {
  const out: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  let pax: Map<string, string> | undefined;
  let headers = 0;
  while (off + BLOCK <= tar.length) {
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) return out;
    if (++headers > limits.maxEntries * 3) throw new TarError('too many tar headers');
    if (!checksumOk(h)) throw new TarError(`bad header checksum at byte ${off}`);
    const type = String.fromCharCode(h[156] as number);
    const magic = cString(h.subarray(257, 263));
    let size = octal(h.subarray(124, 136), 'size');
    if (pax?.has('size')) size = Number(pax.get('size'));
    if (!Number.isSafeInteger(size) || size < 0) throw new TarError('bad entry size');
    if (size > limits.maxEntryBytes) {
      throw new TarError(`an entry of ${size} bytes exceeds the limit of ${limits.maxEntryBytes}`);
    }
    const start = off + BLOCK;
    if (start + size > tar.length) throw new TarError('archive is truncated');
    const data = tar.subarray(start, start + size);
    off = start + Math.ceil(size / BLOCK) * BLOCK;
    const prefix = magic.startsWith('ustar') ? cString(h.subarray(345, 500)) : '';
    const stored = cString(h.subarray(0, 100));
    const name = pax?.get('path') ?? longName ?? (prefix ? `${prefix}/${stored}` : stored);
    if (type === 'x') {
      pax = paxRecords(data);
      continue;
    }
    if (type === 'L') {
      longName = cString(data);
      continue;
    }
    [pax, longName] = [undefined, undefined];
    if (type === 'g' || type === '5') continue;
    if (type !== '0' && type !== '\0') {
      throw new TarError(`entry ${name} is ${KIND[type] ?? `of type '${type}'`}`, true);
    }
    if (out.length >= limits.maxEntries) {
      throw new TarError(`more than ${limits.maxEntries} entries`);
    }
    out.push({ name, data: data.slice() });
  }
  // Some writers omit the two zero blocks; gzip's CRC already guards against truncation.
  if (off === tar.length) return out;
  throw new TarError('archive is truncated');
}
