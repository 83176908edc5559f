// Reads one file for the index, on the main thread and in index workers alike: one open serves the size check and
// the read (a separate stat costs a syscall per file), then the content check decides whether it is worth indexing.
// Blocking on purpose: on a warm page cache a synchronous read costs a fraction of the promise round trips (open,
// stat, read, close) of an asynchronous one. Callers on the main thread read in short slices (cold-read.ts).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { checkContent, type ContentCheck } from './content-check.js';

export function readIndexableSync(abs: string, maxBytes: number): ContentCheck {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { ok: false, reason: 'too_large' };
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const n = readSync(fd, bytes, filled, size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return checkContent(filled === size ? bytes : bytes.subarray(0, filled));
  } catch {
    return { ok: false, reason: 'unreadable' };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
