// Reading a trace back. A torn last line (the process died mid-write) is reported, not fatal: everything before it
// is intact by construction.
import { readFileSync } from 'node:fs';
import type { TraceEvent } from './events.js';

export interface ParsedTrace {
  events: TraceEvent[];
  /** 1-based line numbers that did not parse. */
  badLines: number[];
}

export function readTrace(path: string): ParsedTrace {
  const text = readFileSync(path, 'utf8');
  const events: TraceEvent[] = [];
  const badLines: number[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const value = JSON.parse(line) as TraceEvent;
      if (typeof value !== 'object' || value === null || typeof value.type !== 'string') throw new Error('not an event');
      events.push(value);
    } catch {
      badLines.push(i + 1);
    }
  });
  return { events, badLines };
}
