// The coordinator's conversation, appended as it grows, so a session survives the process: a crash, `kill -9` or a
// closed window loses at most the line being written. Resuming rebuilds the last history from the log; a tool call
// that was in flight when the process died is answered as "interrupted", never run again (it may not be idempotent).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { chatMessageSchema } from '../model/message-schema.js';
import type { ChatMessage } from '../model/types.js';
import { openJsonlAppender, parseJsonl } from '../storage/jsonl.js';
import { redactSecrets } from '../trace/redact.js';
import type { AgentMode, Budgets, TaskTotals } from './types.js';
import type { ModelRole } from '../model/types.js';
import type { ToolFilter } from './profile.js';

/**
 * What narrowed the task when it started (a custom agent, a slash command's `allowed-tools` or `model`): kept with
 * the session so a resumed task is narrowed the same way, never wider than it began.
 */
export interface SessionNarrowing {
  agent?: string;
  tools?: ToolFilter;
  role?: ModelRole;
}

export type SessionRecord =
  | { type: 'start'; session: string; task: string; mode: AgentMode; workspace: string; budgets: Budgets; t: number; narrowing?: SessionNarrowing }
  | { type: 'message'; message: ChatMessage }
  /** The context layer replaced the history (compaction): this is the whole history from here on. */
  | { type: 'history'; messages: ChatMessage[] }
  | { type: 'mode'; mode: AgentMode }
  | { type: 'totals'; totals: TaskTotals }
  | { type: 'end'; status: string; summary: string; t: number };

export interface SessionLog {
  readonly path: string;
  append(record: SessionRecord): void;
  close(): void;
}

export function openSessionLog(path: string): SessionLog {
  const file = openJsonlAppender<SessionRecord>(path, { redact: redactSecrets, syncWhen: (r) => r.type === 'end' || r.type === 'start' });
  return { path, append: (record) => file.append(record), close: () => file.close() };
}

const mode = z.enum(['plan', 'act']);
const count = z.number().finite().nonnegative();
const budgetsSchema: z.ZodType<Budgets> = z.object({
  maxSteps: count,
  maxTokens: count.optional(),
  maxCostUsd: count.optional(),
  maxDailyCostUsd: count.optional(),
  maxTimeMs: count.optional(),
});
const totalsSchema: z.ZodType<TaskTotals> = z.object({
  steps: count,
  modelCalls: count,
  promptTokens: count,
  completionTokens: count,
  cachedPromptTokens: count,
  costUsd: count,
  toolCalls: count,
  durationMs: count,
});
const sessionRecordSchema: z.ZodType<SessionRecord> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    session: z.string(),
    task: z.string(),
    mode,
    workspace: z.string(),
    budgets: budgetsSchema,
    t: z.number(),
    narrowing: z
      .object({
        agent: z.string().optional(),
        tools: z.object({ names: z.array(z.string()), servers: z.array(z.string()) }).optional(),
        role: z.enum(['large', 'small']).optional(),
      })
      .optional(),
  }),
  z.object({ type: z.literal('message'), message: chatMessageSchema }),
  z.object({ type: z.literal('history'), messages: z.array(chatMessageSchema) }),
  z.object({ type: z.literal('mode'), mode }),
  z.object({ type: z.literal('totals'), totals: totalsSchema }),
  z.object({ type: z.literal('end'), status: z.string(), summary: z.string(), t: z.number() }),
]);

export interface ResumeState {
  session: string;
  task: string;
  mode: AgentMode;
  workspace: string;
  messages: ChatMessage[];
  totals: TaskTotals | undefined;
  /** The session had already ended; resuming continues it as a follow-up. */
  ended: { status: string; summary: string } | undefined;
  /** Tool calls that were running when the process stopped: answered as interrupted in `messages`. */
  interrupted: string[];
  /** Lines that did not parse (a torn last line after a crash). */
  badLines: number[];
  /** The agent, tool list and role the task started with, restored on resume. */
  narrowing?: SessionNarrowing;
}

export class SessionLogError extends Error {
  override name = 'SessionLogError';
}

export function readSessionLog(path: string): ResumeState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SessionLogError(`cannot read the session ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let start: Extract<SessionRecord, { type: 'start' }> | undefined;
  let messages: ChatMessage[] = [];
  let totals: TaskTotals | undefined;
  let mode: AgentMode | undefined;
  let ended: ResumeState['ended'];
  const { records, badLines } = parseJsonl(text, sessionRecordSchema);
  for (const r of records) {
    switch (r.type) {
      case 'start':
        start ??= r;
        break;
      case 'message':
        messages.push(r.message);
        break;
      case 'history':
        messages = [...r.messages];
        break;
      case 'mode':
        mode = r.mode;
        break;
      case 'totals':
        totals = r.totals;
        break;
      case 'end':
        ended = { status: r.status, summary: r.summary };
        break;
    }
  }
  if (!start) throw new SessionLogError(`${path} is not a Tiller session (no start record)`);
  if (messages.length === 0) throw new SessionLogError(`${path} holds no conversation to resume`);
  const interrupted = answerDanglingCalls(messages);
  return {
    session: start.session,
    task: start.task,
    mode: mode ?? start.mode,
    workspace: start.workspace,
    messages,
    totals,
    ended,
    interrupted,
    badLines,
    ...(start.narrowing ? { narrowing: start.narrowing } : {}),
  };
}

/** Every tool call in the history must have an answer before the model is called again. */
function answerDanglingCalls(messages: ChatMessage[]): string[] {
  const answered = new Set(messages.flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : [])));
  const interrupted: string[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role !== 'assistant' || !m.toolCalls) continue;
    const missing = m.toolCalls.filter((c) => !answered.has(c.id));
    if (!missing.length) continue;
    // Insert the answers right after the assistant turn's existing answers, keeping the order valid.
    let at = i + 1;
    while (at < messages.length && messages[at]!.role === 'tool') at++;
    const answers: ChatMessage[] = missing.map((c) => ({
      role: 'tool',
      toolCallId: c.id,
      content:
        'Unknown: the session was interrupted while this call was running, so its result was lost and it may or may not have taken effect. Check before repeating it.',
    }));
    messages.splice(at, 0, ...answers);
    interrupted.push(...missing.map((c) => c.name));
    i = at + answers.length - 1;
  }
  return interrupted;
}
