// The coordinator's conversation, appended as it grows, so a session survives the process: a crash, `kill -9` or a
// closed window loses at most the line being written. Resuming rebuilds the last history from the log; a tool call
// that was in flight when the process died is answered as "interrupted", never run again (it may not be idempotent).
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChatMessage } from '../model/types.js';
import { redactSecrets } from '../trace/redact.js';
import type { AgentMode, Budgets, TaskTotals } from './types.js';

export type SessionRecord =
  | { type: 'start'; session: string; task: string; mode: AgentMode; workspace: string; budgets: Budgets; t: number }
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
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a', 0o600);
  let closed = false;
  return {
    path,
    append(record) {
      if (closed) return;
      writeSync(fd, redactSecrets(JSON.stringify(record)) + '\n');
      if (record.type === 'end' || record.type === 'start') fsyncSync(fd);
    },
    close() {
      if (closed) return;
      closed = true;
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}

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
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let r: SessionRecord;
    try {
      r = JSON.parse(line) as SessionRecord;
    } catch {
      badLines.push(i + 1);
      return;
    }
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
      default:
        badLines.push(i + 1);
    }
  });
  if (!start) throw new SessionLogError(`${path} is not a Tiller session (no start record)`);
  if (messages.length === 0) throw new SessionLogError(`${path} holds no conversation to resume`);
  const interrupted = answerDanglingCalls(messages);
  return { session: start.session, task: start.task, mode: mode ?? start.mode, workspace: start.workspace, messages, totals, ended, interrupted, badLines };
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
      content: 'Unknown: the session was interrupted while this call was running, so its result was lost and it may or may not have taken effect. Check before repeating it.',
    }));
    messages.splice(at, 0, ...answers);
    interrupted.push(...missing.map((c) => c.name));
    i = at + answers.length - 1;
  }
  return interrupted;
}
