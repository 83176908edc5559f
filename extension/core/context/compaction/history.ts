// Reading the loop's history as turns: which assistant call a tool message answers, and where a turn starts, so
// compaction can cut and rewrite it without leaving a tool call unanswered or an answer without its call.
import type { ChatMessage, ToolCall } from '../../model/types.js';

/** toolCallId -> the call, from every assistant message. */
export function callsById(messages: readonly ChatMessage[]): Map<string, ToolCall> {
  const map = new Map<string, ToolCall>();
  for (const m of messages) if (m.role === 'assistant') for (const c of m.toolCalls ?? []) map.set(c.id, c);
  return map;
}

/** Indices of assistant messages from `from` on: the turn boundaries. */
export function assistantIndices(messages: readonly ChatMessage[], from: number): number[] {
  const out: number[] = [];
  for (let i = from; i < messages.length; i++) if (messages[i]!.role === 'assistant') out.push(i);
  return out;
}

/** Where the most recent `keepTurns` turns begin (messages before it are old); `messages.length` when none. */
export function recentTurnsStart(messages: readonly ChatMessage[], from: number, keepTurns: number): number {
  const turns = assistantIndices(messages, from);
  if (keepTurns <= 0 || turns.length === 0) return messages.length;
  return turns[Math.max(0, turns.length - keepTurns)]!;
}

/** `workspace__read_file` -> `workspace.read_file` for display (the stub is read by the model, not parsed). */
export function displayToolName(modelName: string): string {
  const i = modelName.indexOf('__');
  return i > 0 ? `${modelName.slice(0, i)}.${modelName.slice(i + 2)}` : modelName;
}

/** Every tool call answered and every answer called: the invariant compaction must keep. */
export function checkPairing(messages: readonly ChatMessage[]): string | undefined {
  const calls = callsById(messages);
  const answered = new Set<string>();
  for (const m of messages) {
    if (m.role !== 'tool') continue;
    if (!calls.has(m.toolCallId)) return `tool result ${m.toolCallId} has no call`;
    answered.add(m.toolCallId);
  }
  for (const id of calls.keys()) if (!answered.has(id)) return `tool call ${id} has no result`;
  return undefined;
}
