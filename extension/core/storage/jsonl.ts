// Append-only JSONL files, the one way Tiller keeps a history on disk (traces, session logs, task records, session
// memory, the day's spend). Each record is one write(2) of a whole line on a file opened with O_APPEND, so concurrent
// writers never interleave inside a line and a crash leaves at most the line being written incomplete; the next write
// after a torn tail starts on a fresh line so it cannot be swallowed. Every line passes through the writer's redactor
// before it reaches the disk (the parameter is required: no history can forget it), and readers validate each record
// against a schema instead of casting, reporting the lines that did not parse or did not fit.
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';

/** Turns a serialised line into what may be stored (e.g. `redactSecrets` from trace/redact.ts). */
export type LineRedactor = (line: string) => string;

export interface JsonlWriteOptions<T> {
  redact: LineRedactor;
  /** Which records are fsynced at once (session boundaries, errors); every record when omitted. */
  syncWhen?: (record: T) => boolean;
  /** File mode for a new file; private by default (histories hold the user's code and tasks). */
  mode?: number;
}

export interface JsonlAppender<T> {
  readonly path: string;
  append(record: T): void;
  /** Fsyncs and closes; later appends are ignored (a late event after the end must not throw). */
  close(): void;
}

/** Whether a non-empty file ends without a newline: the last writer died mid-line. */
function endsTorn(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

function openForAppend(path: string, mode: number): number {
  mkdirSync(dirname(path), { recursive: true });
  return openSync(path, 'a+', mode);
}

/** An appender that keeps its file open: for one process's own history (a trace, a session log). */
export function openJsonlAppender<T>(path: string, options: JsonlWriteOptions<T>): JsonlAppender<T> {
  const fd = openForAppend(path, options.mode ?? 0o600);
  let torn = endsTorn(fd);
  let closed = false;
  return {
    path,
    append(record) {
      if (closed) return;
      writeSync(fd, `${torn ? '\n' : ''}${options.redact(JSON.stringify(record))}\n`);
      torn = false;
      if (options.syncWhen?.(record) ?? true) fsyncSync(fd);
    },
    close() {
      if (closed) return;
      closed = true;
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}

/**
 * One record appended by opening, writing and closing: for files several processes write (the day's spend, the
 * workspace's memory), where a descriptor kept open would be the only thing stopping a reader elsewhere.
 */
export function appendJsonlRecord<T>(path: string, record: T, options: JsonlWriteOptions<T>): void {
  const fd = openForAppend(path, options.mode ?? 0o600);
  try {
    writeSync(fd, `${endsTorn(fd) ? '\n' : ''}${options.redact(JSON.stringify(record))}\n`);
    if (options.syncWhen?.(record) ?? true) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface JsonlRead<T> {
  records: T[];
  /** 1-based line numbers that were not JSON or did not fit the schema (a torn tail, a hand edit). */
  badLines: number[];
}

/** Validates each non-blank line of `text`; `lastLines` keeps only the newest lines (cheap reads of long files). */
export function parseJsonl<S extends z.ZodType>(text: string, schema: S, lastLines?: number): JsonlRead<z.infer<S>> {
  const all = text.split('\n');
  const first = lastLines === undefined ? 0 : Math.max(0, all.length - lastLines - 1);
  const records: z.infer<S>[] = [];
  const badLines: number[] = [];
  for (let i = first; i < all.length; i++) {
    const line = all[i]!;
    if (!line.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      badLines.push(i + 1);
      continue;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) records.push(parsed.data);
    else badLines.push(i + 1);
  }
  return { records, badLines };
}

/** Reads and validates a whole file; a missing file throws (callers decide whether absence is an error). */
export function readJsonl<S extends z.ZodType>(path: string, schema: S, lastLines?: number): JsonlRead<z.infer<S>> {
  return parseJsonl(readFileSync(path, 'utf8'), schema, lastLines);
}

/**
 * Follows a file that other processes append to, reading only what was added since the last call. A line still being
 * written (no newline yet) waits for the next call.
 */
export function jsonlFollower<S extends z.ZodType>(path: string, schema: S): { readNew(): z.infer<S>[]; reset(): void } {
  let offset = 0;
  let partial = '';
  return {
    reset() {
      offset = 0;
      partial = '';
    },
    readNew() {
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch {
        return [];
      }
      try {
        const size = fstatSync(fd).size;
        if (size <= offset) return [];
        const buf = Buffer.alloc(size - offset);
        readSync(fd, buf, 0, buf.length, offset);
        offset = size;
        const lines = (partial + buf.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        return parseJsonl(lines.join('\n'), schema).records;
      } finally {
        closeSync(fd);
      }
    },
  };
}
