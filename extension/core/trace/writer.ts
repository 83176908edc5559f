// Append-only, crash-safe JSONL: each event is one write(2) of a whole line on a file opened with O_APPEND, so a
// crash leaves at most the line being written incomplete, and every earlier line intact. The file is fsynced at
// session boundaries and on errors — the points a reader most needs to survive a power loss.
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { TRACE_VERSION, type TraceEvent, type TraceEventBody, type TraceSink } from './events.js';
import { redactSecrets } from './redact.js';

const SYNC_ON = new Set<TraceEventBody['type']>(['session_start', 'session_end', 'error', 'model_error', 'edit']);

export interface TraceFileOptions {
  /** Record every model request in full (opt-in: prompts may hold code the user does not want in a file). Default:
   * `TILLER_TRACE_PROMPTS=1`. */
  recordPrompts?: boolean;
}

/** The writer stamps the schema version, so every emitter of `session_start` (tasks, subagents) carries it. */
function stamped(body: TraceEventBody): TraceEventBody {
  return body.type === 'session_start' ? { ...body, traceVersion: TRACE_VERSION } : body;
}

export function openTraceFile(path: string, session: string, now: () => number = Date.now, options: TraceFileOptions = {}): TraceSink {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a', 0o600);
  let seq = 0;
  let closed = false;
  return {
    path,
    session,
    // The environment opts in where no caller decided (the CLI and the extension pass nothing by default).
    recordPrompts: options.recordPrompts ?? process.env.TILLER_TRACE_PROMPTS === '1',
    emit(agent, body) {
      if (closed) return;
      const event = { t: now(), seq: seq++, session, agent, ...stamped(body) } as TraceEvent;
      writeSync(fd, redactSecrets(JSON.stringify(event)) + '\n');
      if (SYNC_ON.has(body.type)) fsyncSync(fd);
    },
    close() {
      if (closed) return;
      closed = true;
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}

/** A sink that keeps events in memory (subagent-free unit tests and the benchmark's no-disk variant). */
export function memoryTrace(session = 'memory', now: () => number = Date.now, options: TraceFileOptions = {}): TraceSink & { events: TraceEvent[] } {
  const events: TraceEvent[] = [];
  let seq = 0;
  return {
    path: undefined,
    session,
    events,
    recordPrompts: options.recordPrompts === true,
    emit(agent, body) {
      events.push({ t: now(), seq: seq++, session, agent, ...stamped(body) } as TraceEvent);
    },
    close() {},
  };
}
