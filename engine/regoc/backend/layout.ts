// The constant pool: ConstValues laid out as finished runtime values at absolute addresses,
// so the runtime uses them in place with no start-up work. Children are written before their
// parents; every value header is 8-aligned.
import type { ByteWriter } from './bytes.ts';
import { FLOAT_SIZE, Tag, type ConstValue } from './plan-format.ts';

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const utf8 = new TextEncoder();

/** Compares UTF-8 byte strings, OPA's order for string keys. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

export class ConstPool {
  constructor(
    private readonly out: ByteWriter,
    /** Absolute address of offset 0 of `out`. */
    private readonly base: number,
  ) {}

  private addr(): number {
    return this.base + this.out.length;
  }

  /** Writes `v` and returns its absolute address. Throws on values JSON cannot carry. */
  add(v: ConstValue): number {
    if (v === null) return this.header(Tag.NULL, 0, 0, 0);
    if (typeof v === 'boolean') return this.header(Tag.BOOL, v ? 1 : 0, 0, 0);
    if (typeof v === 'bigint') return this.integer(v);
    if (typeof v === 'number') return this.number(v);
    if (typeof v === 'string') return this.string(utf8.encode(v));
    if (Array.isArray(v)) return this.array(v as readonly ConstValue[]);
    return this.object(v as { readonly [key: string]: ConstValue });
  }

  private header(tag: number, a: number, b: number, c: number): number {
    this.out.align(8);
    const at = this.addr();
    this.out.u32(tag);
    this.out.u32(a);
    this.out.u32(b);
    this.out.u32(c);
    return at;
  }

  private integer(v: bigint): number {
    if (v < I64_MIN || v > I64_MAX) {
      const text = utf8.encode(v.toString());
      const ptr = this.addr();
      this.out.bytes(text);
      return this.header(Tag.BIGNUM, text.length, ptr, 0);
    }
    this.out.align(8);
    const at = this.addr();
    this.out.u32(Tag.INT);
    this.out.u32(0);
    this.out.i64(v);
    return at;
  }

  /** Safe integers become INT; other numbers FLOAT with their JSON text for an exact dump. */
  private number(v: number): number {
    if (!Number.isFinite(v)) throw new Error(`constant ${v} is not a JSON number`);
    if (Number.isSafeInteger(v)) return this.integer(BigInt(v));
    const text = utf8.encode(JSON.stringify(v));
    const src = this.addr();
    this.out.bytes(text);
    this.out.align(8);
    const at = this.addr();
    this.out.u32(Tag.FLOAT);
    this.out.u32(text.length);
    this.out.f64(v);
    this.out.u32(src);
    this.out.u32(0);
    if (this.addr() - at !== FLOAT_SIZE) throw new Error('float layout mismatch');
    return at;
  }

  private string(bytes: Uint8Array): number {
    const ptr = this.addr();
    this.out.bytes(bytes);
    return this.header(Tag.STRING, bytes.length, ptr, 0);
  }

  private array(items: readonly ConstValue[]): number {
    const addrs = items.map((x) => this.add(x));
    this.out.align(4);
    const ptr = this.addr();
    for (const a of addrs) this.out.u32(a);
    return this.header(Tag.ARRAY, addrs.length, ptr, addrs.length);
  }

  private object(obj: { readonly [key: string]: ConstValue }): number {
    const keys = Object.keys(obj)
      .map((k) => ({ k, bytes: utf8.encode(k) }))
      .sort((x, y) => compareBytes(x.bytes, y.bytes));
    const pairs = keys.map(({ k, bytes }) => [this.string(bytes), this.add(obj[k] as ConstValue)]);
    this.out.align(4);
    const ptr = this.addr();
    for (const [key, value] of pairs) {
      this.out.u32(key as number);
      this.out.u32(value as number);
    }
    return this.header(Tag.OBJECT, pairs.length, ptr, pairs.length);
  }
}
