// The last N bytes of a stream (a server's stderr), for diagnostics when it misbehaves. Older bytes are dropped.

export class ByteRing {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly capacity = 64 * 1024) {}

  push(chunk: Buffer): void {
    if (chunk.length >= this.capacity) {
      this.chunks = [Buffer.from(chunk.subarray(chunk.length - this.capacity))];
      this.size = this.capacity;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.capacity) {
      const first = this.chunks[0]!;
      const excess = this.size - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  get length(): number {
    return this.size;
  }

  toString(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * The last `count` non-empty lines of a text such as a stderr tail, each cut to `width` characters, so a view can
 * show "how it ended" without a 64 KiB wall. The first line may be a fragment: the ring drops bytes, not lines.
 */
export function lastLines(text: string, count: number, width = 400): string[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.slice(-count).map((line) => (line.length > width ? `${line.slice(0, width)}…` : line));
}
