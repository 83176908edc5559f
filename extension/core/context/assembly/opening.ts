// The opening prompt, in an order that keeps provider prompt caches hitting: the system prompt (never changes), then
// the project's rules (change rarely), then memory and the repository slice, then what the user attached, and the
// task last. Each part has a share of the budget; a part that does not fit is cut or left out, and the inspector
// says which and why.
import type { ChatMessage } from '../../model/types.js';
import { estimateTokens } from '../../model/tokens.js';
import type { AgentMode } from '../../agent/types.js';
import { agentProfileSection, modeInstructions, skillsSection, systemPrompt } from '../../agent/prompts.js';
import type { AgentProfile, SkillSummary } from '../../agent/profile.js';
import type { ContextItem } from './inspector.js';
import { OPENING_SHARES } from './budget.js';

/** Standing advice on the context machinery, part of the unchanging system prompt. */
export const CONTEXT_GUIDE = `Context management:
- Old tool outputs may be replaced by a stub such as "[output of workspace.read_file src/a.ts elided; ...]"; read the file again if you need it.
- A repeated read of an unchanged file is answered with a reference to the earlier read instead of the content.
- Tiller keeps a task record (goal, constraints, decisions, failures, files changed, todos) and shows it again after compaction. To keep something in it, write a line starting with "Decision:" or "Note:" in your reply.
- If you learn something every future task in this project should know (a build quirk, a convention), you may propose adding it to AGENTS.md at the workspace root with the edit tool; the user approves it like any edit.`;

export interface OpeningPart {
  kind: ContextItem['kind'];
  label: string;
  text: string;
  reason: string;
}

export interface OpeningInput {
  mode: AgentMode;
  task: string;
  workspaceRoot: string;
  budgetTokens: number;
  rules: OpeningPart[];
  memory: OpeningPart[];
  repo: OpeningPart[];
  mentions: OpeningPart[];
  /** Problems to show as items (a mention that did not resolve), with no text in the prompt. */
  notes: ContextItem[];
  constraints: string[];
  /** The custom agent the task runs as: its instructions follow the system prompt. */
  profile?: AgentProfile;
  /** Skills the model may load: only their names and descriptions are in the prompt. */
  skills?: readonly SkillSummary[];
  /** The slash command the task text was expanded from. */
  command?: { name: string; source: string; origin: 'user' | 'project' | 'tiller' };
}

export interface Opening {
  messages: ChatMessage[];
  items: ContextItem[];
}

export function systemMessage(): string {
  return `${systemPrompt('agent')}\n\n${CONTEXT_GUIDE}`;
}

export function buildOpening(input: OpeningInput): Opening {
  const base = systemMessage();
  const items: ContextItem[] = [{ kind: 'system', label: 'system prompt', tokens: estimateTokens(base), reason: 'standing instructions (cached prefix)' }];
  let system = base;
  const skills = skillsSection(input.skills ?? []);
  if (skills) {
    system += `\n\n${skills}`;
    const where = [...new Set((input.skills ?? []).map((s) => fromWhere(s.origin, s.source)))].join('; ');
    items.push({
      kind: 'skills',
      label: `${input.skills!.length} skill(s), names and descriptions only`,
      tokens: estimateTokens(skills),
      reason: `loadable with load_skill; ${where}`,
    });
  }
  if (input.profile) {
    const section = agentProfileSection(input.profile);
    system += `\n\n${section}`;
    items.push({
      kind: 'agent',
      label: input.profile.name,
      tokens: estimateTokens(section),
      reason: `custom agent instructions, ${fromWhere(input.profile.origin, input.profile.source)}`,
    });
  }
  const sections: string[] = [];
  const fit = (parts: OpeningPart[], share: number, heading: string) => {
    let left = Math.floor(input.budgetTokens * share);
    const texts: string[] = [];
    for (const part of parts) {
      const tokens = estimateTokens(part.text);
      if (tokens <= left) {
        texts.push(part.text);
        items.push({ kind: part.kind, label: part.label, tokens, reason: part.reason });
        left -= tokens;
      } else if (left >= 200) {
        const cut = `${part.text.slice(0, left * 4 - 80)}\n[cut here: over its share of the context budget]`;
        texts.push(cut);
        items.push({
          kind: part.kind,
          label: part.label,
          tokens: estimateTokens(cut),
          reason: `${part.reason}; cut to fit the budget (${tokens} tokens in full)`,
        });
        left = 0;
      } else {
        items.push({
          kind: part.kind,
          label: part.label,
          tokens: 0,
          reason: `${part.reason}; left out: over its share of the context budget (${tokens} tokens)`,
        });
      }
    }
    if (texts.length) sections.push(`${heading}\n\n${texts.join('\n\n')}`);
  };
  fit(input.rules, OPENING_SHARES.rules, '# Project rules');
  fit(input.memory, OPENING_SHARES.memory, '# Memory');
  fit(input.repo, OPENING_SHARES.repo, '# Repository context (files ranked for this task; read them before relying on them)');
  fit(input.mentions, OPENING_SHARES.mentions, '# Attached by the user');
  items.push(...input.notes);

  const constraints = input.constraints.length ? `\nConstraints from the task (keep to them):\n${input.constraints.map((c) => `- ${c}`).join('\n')}\n` : '';
  const task = `${modeInstructions(input.mode)}\nWorkspace root: ${input.workspaceRoot}\n${constraints}\nTask:\n${input.task}`;
  if (input.command)
    items.push({
      kind: 'command',
      label: `/${input.command.name}`,
      tokens: 0,
      reason: `the task is this slash command's prompt, ${fromWhere(input.command.origin, input.command.source)}`,
    });
  items.push({ kind: 'task', label: 'task', tokens: estimateTokens(task), reason: 'the user request' });
  sections.push(task);
  return {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: sections.join('\n\n'), origin: 'task' },
    ],
    items,
  };
}

/** Repository text is marked as such wherever it enters the prompt: it is instructions from whoever wrote the repo. */
function fromWhere(origin: 'user' | 'project' | 'tiller', source: string): string {
  return origin === 'user' ? `your own: ${source}` : `from the repository: ${source}`;
}
