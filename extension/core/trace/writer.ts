// The trace file: append-only, crash-safe JSONL (storage/jsonl.ts), secrets redacted from every line. The file is
// fsynced at session boundaries and on errors — the points a reader most needs to survive a power loss.
import { openJsonlAppender } from '../storage/jsonl.js';
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
  const file = openJsonlAppender<TraceEvent>(path, { redact: redactSecrets, syncWhen: (event) => SYNC_ON.has(event.type) });
  let seq = 0;
  return {
    path,
    session,
    // The environment opts in where no caller decided (the CLI and the extension pass nothing by default).
    recordPrompts: options.recordPrompts ?? process.env.TILLER_TRACE_PROMPTS === '1',
    emit(agent, body) {
      file.append({ t: now(), seq: seq++, session, agent, ...stamped(body) } as TraceEvent);
    },
    close() {
      file.close();
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
