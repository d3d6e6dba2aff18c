// A dependency-free wasm section rewriter for exactly what the backend needs: put the plan
// segment into runtime.wasm, and read the memory import the loader sizes memory from.
//
// Contract of splicePlan: the result equals `runtime` except that
//   - the data section holds one active segment (memory 0, offset i32.const planBase) with the
//     plan; an existing segment at that offset is replaced (re-splicing is idempotent);
//   - the DataCount section, when present, matches the new segment count;
//   - the memory import's minimum covers planBase + plan.length (raised, never lowered).
// Custom sections and everything else are copied byte for byte.

const PAGE = 65536;
const SEC_IMPORT = 2;
const SEC_DATA = 11;
const SEC_DATACOUNT = 12;
const SEC_CODE = 10;

interface Section {
  id: number;
  /** Content bounds (after the id and size). */
  start: number;
  end: number;
}

export interface MemoryImport {
  module: string;
  name: string;
  minPages: number;
  maxPages: number | undefined;
}

class Reader {
  constructor(
    readonly b: Uint8Array,
    public pos: number,
  ) {}
  u8(): number {
    if (this.pos >= this.b.length) throw new Error('wasm: unexpected end of module');
    return this.b[this.pos++] as number;
  }
  uleb(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new Error('wasm: LEB128 too long');
    }
  }
  name(): string {
    const n = this.uleb();
    const s = new TextDecoder().decode(this.b.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb32(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function readSections(wasm: Uint8Array): Section[] {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (wasm.length < 8 || magic.some((b, i) => wasm[i] !== b)) {
    throw new Error('wasm: not a WebAssembly 1.0 module');
  }
  const r = new Reader(wasm, 8);
  const sections: Section[] = [];
  while (r.pos < wasm.length) {
    const id = r.u8();
    const size = r.uleb();
    const start = r.pos;
    if (start + size > wasm.length) throw new Error('wasm: section runs past the end');
    sections.push({ id, start, end: start + size });
    r.pos = start + size;
  }
  return sections;
}

interface ImportEntry {
  start: number;
  end: number;
  mem?: MemoryImport & { flags: number };
}

function readImports(wasm: Uint8Array, sec: Section): ImportEntry[] {
  const r = new Reader(wasm, sec.start);
  const entries: ImportEntry[] = [];
  for (let n = r.uleb(); n > 0; n--) {
    const start = r.pos;
    const module = r.name();
    const name = r.name();
    const kind = r.u8();
    let mem: ImportEntry['mem'];
    if (kind === 0x00)
      r.uleb(); // func: type index
    else if (kind === 0x01) {
      r.u8(); // table: reftype, limits
      if (r.u8() & 1) r.uleb();
      r.uleb();
    } else if (kind === 0x02) {
      const flags = r.u8();
      if (flags & ~0x03) throw new Error(`wasm: unsupported memory import flags ${flags}`);
      const minPages = r.uleb();
      const maxPages = flags & 1 ? r.uleb() : undefined;
      mem = { module, name, minPages, maxPages, flags };
    } else if (kind === 0x03) {
      r.u8(); // global: valtype, mutability
      r.u8();
    } else if (kind === 0x04) {
      r.u8(); // tag: attribute, type index
      r.uleb();
    } else throw new Error(`wasm: unknown import kind ${kind}`);
    entries.push(mem === undefined ? { start, end: r.pos } : { start, end: r.pos, mem });
  }
  if (r.pos !== sec.end) throw new Error('wasm: malformed import section');
  return entries;
}

/** The module's imported memory, or undefined when it imports none. */
export function readMemoryImport(wasm: Uint8Array): MemoryImport | undefined {
  const sec = readSections(wasm).find((s) => s.id === SEC_IMPORT);
  const mem = sec && readImports(wasm, sec).find((e) => e.mem)?.mem;
  return (
    mem && { module: mem.module, name: mem.name, minPages: mem.minPages, maxPages: mem.maxPages }
  );
}

/** Concatenates byte runs (plain arrays or views); avoids spreading large arrays. */
function concat(parts: readonly (number[] | Uint8Array)[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function section(id: number, content: Uint8Array): Uint8Array {
  return concat([[id], uleb(content.length), content]);
}

/** Raw data segments of a data section, each as its full byte range. */
function readSegments(
  wasm: Uint8Array,
  sec: Section,
): { start: number; end: number; offset?: number }[] {
  const r = new Reader(wasm, sec.start);
  const segs: { start: number; end: number; offset?: number }[] = [];
  for (let n = r.uleb(); n > 0; n--) {
    const start = r.pos;
    const flags = r.uleb();
    let offset: number | undefined;
    if (flags === 0 || flags === 2) {
      if (flags === 2) r.uleb(); // memory index
      const op = r.u8();
      if (op === 0x41) {
        let v = 0;
        let shift = 0;
        let byte: number;
        do {
          byte = r.u8();
          v |= (byte & 0x7f) << shift;
          shift += 7;
        } while (byte & 0x80);
        offset = shift < 32 && byte & 0x40 ? v | (~0 << shift) : v;
        if (flags !== 0) offset = undefined;
      } else {
        while (r.u8() !== 0x0b); // another constant expression: skip to `end`
        r.pos--;
      }
      if (r.u8() !== 0x0b) throw new Error('wasm: malformed data segment offset');
    } else if (flags !== 1) throw new Error(`wasm: unknown data segment flags ${flags}`);
    const len = r.uleb();
    r.pos += len;
    segs.push(offset === undefined ? { start, end: r.pos } : { start, end: r.pos, offset });
  }
  if (r.pos !== sec.end) throw new Error('wasm: malformed data section');
  return segs;
}

export function splicePlan(runtime: Uint8Array, plan: Uint8Array, planBase: number): Uint8Array {
  const sections = readSections(runtime);
  const segment = concat([[0x00, 0x41], sleb32(planBase), [0x0b], uleb(plan.length), plan]);

  const dataSec = sections.find((s) => s.id === SEC_DATA);
  const kept = dataSec ? readSegments(runtime, dataSec).filter((s) => s.offset !== planBase) : [];
  const segCount = kept.length + 1;
  const newData = section(
    SEC_DATA,
    concat([uleb(segCount), ...kept.map((s) => runtime.subarray(s.start, s.end)), segment]),
  );

  const needPages = Math.ceil((planBase + plan.length) / PAGE);
  const parts: (number[] | Uint8Array)[] = [runtime.subarray(0, 8)];
  let dataWritten = false;
  for (const s of sections) {
    if (s.id === SEC_DATA) {
      parts.push(newData);
      dataWritten = true;
    } else if (s.id === SEC_DATACOUNT) {
      parts.push(section(SEC_DATACOUNT, Uint8Array.from(uleb(segCount))));
    } else if (s.id === SEC_IMPORT) {
      parts.push(section(SEC_IMPORT, raiseMemoryMin(runtime, s, needPages)));
    } else {
      parts.push([s.id], uleb(s.end - s.start), runtime.subarray(s.start, s.end));
      // Without a data section, the new one goes right after the code section.
      if (s.id === SEC_CODE && !dataSec) {
        parts.push(newData);
        dataWritten = true;
      }
    }
  }
  if (!dataWritten) throw new Error('wasm: module has no code section to place the plan after');
  return concat(parts);
}

function raiseMemoryMin(wasm: Uint8Array, sec: Section, needPages: number): Uint8Array {
  const r = new Reader(wasm, sec.start);
  const parts: (number[] | Uint8Array)[] = [uleb(r.uleb())];
  const enc = new TextEncoder();
  for (const e of readImports(wasm, sec)) {
    const mem = e.mem;
    if (!mem || mem.minPages >= needPages) {
      parts.push(wasm.subarray(e.start, e.end));
      continue;
    }
    if (mem.maxPages !== undefined && mem.maxPages < needPages) {
      throw new Error(
        `wasm: plan needs ${needPages} pages, the memory import allows ${mem.maxPages}`,
      );
    }
    const mod = enc.encode(mem.module);
    const name = enc.encode(mem.name);
    parts.push(uleb(mod.length), mod, uleb(name.length), name, [0x02, mem.flags], uleb(needPages));
    if (mem.maxPages !== undefined) parts.push(uleb(mem.maxPages));
  }
  return concat(parts);
}
