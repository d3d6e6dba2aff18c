// A growable little-endian byte writer; positions are offsets from the start of the output.
export class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): number {
    const at = this.length;
    if (at + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, at + n));
      next.set(this.buf);
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.length = at + n;
    return at;
  }

  align(n: number): void {
    while (this.length % n !== 0) this.u8(0);
  }
  // Each write reserves first: room() may replace buf/view.
  u8(v: number): void {
    const at = this.room(1);
    this.buf[at] = v;
  }
  u32(v: number): number {
    const at = this.room(4);
    this.view.setUint32(at, v, true);
    return at;
  }
  i64(v: bigint): void {
    const at = this.room(8);
    this.view.setBigInt64(at, v, true);
  }
  f64(v: number): void {
    const at = this.room(8);
    this.view.setFloat64(at, v, true);
  }
  bytes(b: Uint8Array): void {
    const at = this.room(b.length);
    this.buf.set(b, at);
  }
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
