// Money spent today across every Tiller process on this machine (VS Code windows, CLI runs), so a per-day limit
// holds however the work is split. One append-only file per local day; each record is a single O_APPEND write, so
// concurrent writers never interleave inside a line and no lock is needed. A torn last line (a crash mid-write) is
// skipped: it can only under-count one call, never corrupt the rest.
import { closeSync, mkdirSync, openSync, readSync, fstatSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface DailySpend {
  /** USD recorded today by every process, this one included. */
  spentToday(): number;
  record(usd: number): void;
}

export function fileDailySpend(dir: string, now: () => Date = () => new Date()): DailySpend {
  let day = '';
  let offset = 0;
  let sum = 0;
  let partial = '';

  const fileFor = (d: string) => join(dir, `${d}.jsonl`);
  const roll = () => {
    const today = localDay(now());
    if (today !== day) {
      day = today;
      offset = 0;
      sum = 0;
      partial = '';
    }
  };
  /** Reads only what other writers appended since the last look. */
  const catchUp = () => {
    let fd: number;
    try {
      fd = openSync(fileFor(day), 'r');
    } catch {
      return;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= offset) return;
      const buf = Buffer.alloc(size - offset);
      readSync(fd, buf, 0, buf.length, offset);
      offset = size;
      const lines = (partial + buf.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line) continue;
        try {
          const usd = (JSON.parse(line) as { usd?: unknown }).usd;
          if (typeof usd === 'number' && Number.isFinite(usd) && usd >= 0) sum += usd;
        } catch {
          // a torn line from a crashed writer
        }
      }
    } finally {
      closeSync(fd);
    }
  };

  return {
    spentToday() {
      roll();
      catchUp();
      return sum;
    },
    record(usd) {
      if (!(usd > 0)) return;
      roll();
      mkdirSync(dir, { recursive: true });
      const fd = openSync(fileFor(day), 'a', 0o600);
      try {
        // The leading newline closes off a line torn by a writer that crashed, which would otherwise swallow this one.
        writeSync(fd, '\n' + JSON.stringify({ t: now().getTime(), usd, pid: process.pid }) + '\n');
      } finally {
        closeSync(fd);
      }
    },
  };
}

function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
