// Command output under a byte cap: the head and the tail are kept (the start says what ran, the end says how
// it finished) and the middle is replaced by a marker saying how much was dropped.

export const OUTPUT_CAP_BYTES = 64 * 1024;

export class HeadTailBuffer {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer = Buffer.alloc(0);
  private total = 0;
  private readonly headCap: number;
  private readonly tailCap: number;

  constructor(cap = OUTPUT_CAP_BYTES) {
    this.headCap = Math.floor(cap / 2);
    this.tailCap = cap - this.headCap;
  }

  append(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headCap) {
      const take = Math.min(this.headCap - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0) return;
    const joined = Buffer.concat([this.tail, rest]);
    this.tail = joined.length > this.tailCap ? Buffer.from(joined.subarray(joined.length - this.tailCap)) : joined;
  }

  get totalBytes(): number {
    return this.total;
  }

  get omittedBytes(): number {
    return this.total - this.headBytes - this.tail.length;
  }

  /** The last bytes seen, for prompt detection. */
  lastText(maxBytes = 512): string {
    const all = this.tail.length > 0 ? this.tail : Buffer.concat(this.head);
    return all.subarray(Math.max(0, all.length - maxBytes)).toString('utf8');
  }

  toString(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = this.tail.toString('utf8');
    const omitted = this.omittedBytes;
    return omitted > 0 ? `${head}\n[... ${omitted} bytes omitted ...]\n${tail}` : head + tail;
  }
}
