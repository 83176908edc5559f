// Read de-duplication: when the model reads a file range it already read in this task and the content has not
// changed (same hash), the result is replaced by a reference to the earlier read, which is still in the history.
// Compaction may remove that earlier copy; `retainVisible` forgets reads whose copy is gone, and `expand` turns a
// reference back into the full text when its original was elided, so a reference never points at nothing.
import { createHash } from 'node:crypto';

interface SeenRead {
  step: number;
  hash: string;
}

export class ReadDedup {
  /** key (path + range) -> the read the model can still see. */
  private readonly seen = new Map<string, SeenRead>();
  /** reference text -> the content it stands for. */
  private readonly references = new Map<string, string>();

  /** The text to put in the history for a read: the content, or a reference to the same content seen earlier. */
  observe(step: number, args: Record<string, unknown>, content: string): string {
    const path = typeof args.path === 'string' ? args.path : undefined;
    if (!path) return content;
    const key = readKey(path, args);
    const hash = contentHash(content);
    const earlier = this.seen.get(key);
    if (earlier && earlier.hash === hash && earlier.step !== step) {
      const reference = `[${path}${rangeLabel(args)} is unchanged since step ${earlier.step} (same content hash); see the read at step ${earlier.step} above]`;
      this.references.set(reference, content);
      return reference;
    }
    this.seen.set(key, { step, hash });
    return content;
  }

  /** Full content for a reference produced here, or undefined for any other text. */
  expand(text: string): string | undefined {
    return this.references.get(text);
  }

  /**
   * Keeps only the reads whose full content is still in the history, re-dated to the newest step that shows it (a
   * reference expanded by compaction becomes the copy later references point to).
   */
  retainVisible(visible: Iterable<{ step: number; text: string }>): void {
    const newest = new Map<string, number>();
    for (const v of visible) {
      const h = contentHash(v.text);
      newest.set(h, Math.max(newest.get(h) ?? 0, v.step));
    }
    for (const [key, read] of this.seen) {
      const step = newest.get(read.hash);
      if (step === undefined) this.seen.delete(key);
      else read.step = step;
    }
  }
}

function readKey(path: string, args: Record<string, unknown>): string {
  return `${path}\u0000${rangeLabel(args)}`;
}

function rangeLabel(args: Record<string, unknown>): string {
  const start = typeof args.startLine === 'number' ? args.startLine : undefined;
  const end = typeof args.endLine === 'number' ? args.endLine : undefined;
  if (start === undefined && end === undefined) return '';
  return ` lines ${start ?? 1}-${end ?? 'end'}`;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
