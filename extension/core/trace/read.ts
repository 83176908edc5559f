// Reading a trace back. A torn last line (the process died mid-write) is reported, not fatal: everything before it
// is intact by construction. Each line must at least be an event (an object with a type, a time and a sequence
// number); the bodies are as many as there are event types and are read by their type.
import { z } from 'zod';
import { readJsonl } from '../storage/jsonl.js';
import type { TraceEvent } from './events.js';

export interface ParsedTrace {
  events: TraceEvent[];
  /** 1-based line numbers that did not parse. */
  badLines: number[];
}

const eventEnvelope = z.looseObject({ type: z.string(), t: z.number(), seq: z.number() });

export function readTrace(path: string): ParsedTrace {
  const { records, badLines } = readJsonl(path, eventEnvelope);
  return { events: records as unknown as TraceEvent[], badLines };
}
