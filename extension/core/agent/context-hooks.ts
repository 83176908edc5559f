// Where the context layer plugs into the loop. The loop owns the conversation; these hooks decide what opens it
// (system prompt, project rules, the task), what is actually sent on each call (masking stale observations,
// compaction), and how a tool result is recorded (read de-duplication). The default is the plain conversation.
import type { ChatMessage, Usage } from '../model/types.js';
import type { AgentMode } from './types.js';
import type { AgentProfile, SkillSummary } from './profile.js';
import { agentProfileSection, skillsSection, systemPrompt, taskMessage } from './prompts.js';

/** What opens an agent's conversation. `profile`: the custom agent it runs as; `skills`: those it may load. */
export interface OpeningInput {
  agentId: string;
  mode: AgentMode | 'explorer';
  task: string;
  workspaceRoot: string;
  profile?: AgentProfile;
  skills?: readonly SkillSummary[];
  /** The slash command the task was expanded from, for the context inspector. */
  command?: { name: string; source: string; origin: 'user' | 'project' | 'tiller' };
}

export interface ContextHooks {
  /** The messages a fresh agent starts with. */
  initialMessages(input: OpeningInput): Promise<ChatMessage[]>;
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
  observe?(input: {
    agentId: string;
    step: number;
    tool: string;
    args: Record<string, unknown>;
    content: string;
    isError: boolean;
    changedFiles?: string[];
  }): string;
}

export const plainContext: ContextHooks = {
  async initialMessages({ mode, task, workspaceRoot, profile, skills }) {
    if (profile) return profileOpening({ mode, task, workspaceRoot, profile, skills });
    if (mode === 'explorer')
      return [
        { role: 'system', content: systemPrompt('explorer') },
        { role: 'user', content: task, origin: 'task' },
      ];
    return [
      { role: 'system', content: withSkills(systemPrompt('agent'), skills) },
      { role: 'user', content: taskMessage(task, workspaceRoot, mode), origin: 'task' },
    ];
  },
  async prepare({ messages }) {
    return messages;
  },
};

/** A custom agent's opening: Tiller's system prompt, then the agent's instructions; read-only when it only explores. */
export function profileOpening(input: {
  mode: AgentMode | 'explorer';
  task: string;
  workspaceRoot: string;
  profile: AgentProfile;
  skills?: readonly SkillSummary[] | undefined;
}): ChatMessage[] {
  const system = `${withSkills(systemPrompt('agent'), input.skills)}\n\n${agentProfileSection(input.profile)}`;
  return [
    { role: 'system', content: system },
    {
      role: 'user',
      content: input.mode === 'explorer' ? readOnlyTask(input.task, input.workspaceRoot) : taskMessage(input.task, input.workspaceRoot, input.mode),
      origin: 'task',
    },
  ];
}

/** A delegated agent while the coordinator plans: it reads and reports, it proposes no plan of its own. */
function readOnlyTask(task: string, workspaceRoot: string): string {
  return `Mode: read-only (the agent that asked you is planning). You may only read and search; reply (without a tool call) with your report.\nWorkspace root: ${workspaceRoot}\n\nTask:\n${task}`;
}

export function withSkills(system: string, skills: readonly SkillSummary[] | undefined): string {
  const section = skillsSection(skills ?? []);
  return section ? `${system}\n\n${section}` : system;
}
