// Where the context layer plugs into the loop. The loop owns the conversation; these hooks decide what opens it
// (system prompt, project rules, the task), what is actually sent on each call (masking stale observations,
// compaction), and how a tool result is recorded (read de-duplication). The default is the plain conversation.
import type { ChatMessage, Usage } from '../model/types.js';
import type { AgentMode } from './types.js';
import { systemPrompt, taskMessage } from './prompts.js';

export interface ContextHooks {
  /** The messages a fresh agent starts with. */
  initialMessages(input: { agentId: string; mode: AgentMode | 'explorer'; task: string; workspaceRoot: string }): Promise<ChatMessage[]>;
  /**
   * The history to keep and send for the next call. May shorten it (mask old tool outputs, replace a prefix with a
   * summary); what it returns becomes the loop's history, so it must keep every tool call answered. A model call
   * made here (a compaction summary) reports its usage through `recordUsage` so it counts against the task's budget.
   */
  prepare(input: {
    agentId: string;
    step: number;
    messages: ChatMessage[];
    signal: AbortSignal;
    recordUsage?: (usage: Usage, costUsd: number) => void;
    /** Awaited before the history is compacted (PreCompact hooks); not called when nothing is compacted. */
    beforeCompact?: () => Promise<void>;
  }): Promise<ChatMessage[]>;
  /**
   * The text that joins the history for a tool result (may be shortened or replaced by a reference). `changedFiles`
   * are the files an applied edit wrote, as the gate reports them (never read back out of the result's text).
   */
  observe?(input: { agentId: string; step: number; tool: string; args: Record<string, unknown>; content: string; isError: boolean; changedFiles?: string[] }): string;
}

export const plainContext: ContextHooks = {
  async initialMessages({ mode, task, workspaceRoot }) {
    if (mode === 'explorer') return [{ role: 'system', content: systemPrompt('explorer') }, { role: 'user', content: task, origin: 'task' }];
    return [
      { role: 'system', content: systemPrompt('agent') },
      { role: 'user', content: taskMessage(task, workspaceRoot, mode), origin: 'task' },
    ];
  },
  async prepare({ messages }) {
    return messages;
  },
};
