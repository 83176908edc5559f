// What a replay takes from a recorded trace: the first task's events (its main session_start to its session_end),
// the model replies in the order they were served, and the user's answers (approvals, questions) in order.
import type { RecordedReply, TraceEvent } from '../events.js';
import type { Usage } from '../../model/types.js';

export interface RecordedCall {
  agent: string;
  step: number;
  model: string;
  reply: RecordedReply;
  usage: Usage;
  requestHash: string | undefined;
}

export interface RecordedSession {
  task: string;
  mode: 'act' | 'plan';
  model: string;
  smallModel: string;
  budgets: { maxSteps?: number; maxTokens?: number; maxCostUsd?: number; maxTimeMs?: number };
  calls: RecordedCall[];
  approvals: Extract<TraceEvent, { type: 'approval' }>[];
  questions: Extract<TraceEvent, { type: 'question' }>[];
  /** The events of this task only, in order. */
  events: TraceEvent[];
}

/** Thrown for a trace that cannot be replayed; the message says why. */
export class ReplayInputError extends Error {
  override name = 'ReplayInputError';
}

export function recordedSession(all: TraceEvent[]): RecordedSession {
  const start = all.findIndex((e) => e.type === 'session_start' && e.agent === 'main');
  if (start < 0) throw new ReplayInputError('the trace has no session_start for the main agent');
  const first = all[start] as Extract<TraceEvent, { type: 'session_start' }>;
  if ((first.traceVersion ?? 1) < 2) {
    throw new ReplayInputError(`the trace is version ${first.traceVersion ?? 1}; replay needs version 2 or later (model replies are not recorded before it)`);
  }
  const endAt = all.findIndex((e, i) => i > start && e.type === 'session_end' && e.agent === 'main');
  if (endAt < 0)
    throw new ReplayInputError('the trace has no session_end for its first task: the session was cut off, so there is nothing complete to compare');
  const events = all.slice(start, endAt + 1);
  const calls: RecordedCall[] = [];
  for (const e of events) {
    if (e.type !== 'model_call') continue;
    if (!e.reply)
      throw new ReplayInputError(
        `the model call at step ${e.step} (${e.agent}, purpose ${e.purpose}, seq ${e.seq}) has no recorded reply, so it cannot be played back`,
      );
    calls.push({ agent: e.agent, step: e.step, model: e.model, reply: e.reply, usage: e.usage, requestHash: e.requestHash });
  }
  const mode = first.mode === 'plan' ? 'plan' : 'act';
  const b = first.budgets;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const budgets = Object.fromEntries(
    (['maxSteps', 'maxTokens', 'maxCostUsd', 'maxTimeMs'] as const).map((k) => [k, num(b[k])]).filter(([, v]) => v !== undefined),
  ) as RecordedSession['budgets'];
  return {
    task: first.task,
    mode,
    model: first.model,
    smallModel: first.smallModel,
    budgets,
    calls,
    approvals: events.filter((e): e is Extract<TraceEvent, { type: 'approval' }> => e.type === 'approval'),
    questions: events.filter((e): e is Extract<TraceEvent, { type: 'question' }> => e.type === 'question'),
    events,
  };
}
