// `load_skill`: a skill's SKILL.md body (or one of its files) read on demand. The read is a read like any other: the
// permission rules decide on the file's path first (a deny binds, an ask asks the person), and only then is the file
// read. The content joins the history as a user message with origin `skill` -- not as the tool result -- because old
// tool results are masked as the task goes on, while a skill's instructions must stay in force; the tool result only
// says it was loaded. The context inspector lists loaded skills from that origin.
import type { ChatMessage } from '../model/types.js';
import type { PolicyDecision, PolicyEngine } from '../policy/types.js';
import { NAMED } from '../policy/file-decision.js';
import type { Approver } from '../ports.js';
import type { TraceSink } from '../trace/events.js';
import type { AgentEvent } from './types.js';
import { LOAD_SKILL } from './control-tools.js';
import type { SkillLibrary } from './profile.js';

export const SKILL_MESSAGE_PREFIX = '[Skill ';

interface SkillToolContext {
  policy: PolicyEngine;
  approver: Approver;
  trace: TraceSink;
  signal: AbortSignal;
  onEvent: (event: AgentEvent) => void;
}

export async function loadSkillCall(
  ctx: SkillToolContext,
  agentId: string,
  step: number,
  skills: SkillLibrary,
  args: Record<string, unknown>,
): Promise<{ result: string; message?: ChatMessage }> {
  const name = typeof args.name === 'string' ? args.name.trim() : '';
  const file = typeof args.file === 'string' && args.file.trim() ? args.file.trim() : undefined;
  if (!name) return { result: `Error: ${LOAD_SKILL} needs a skill \`name\`.` };
  const located = skills.locate(name, file);
  if ('error' in located) return { result: `Error: ${located.error}` };
  const decision = readDecision(ctx.policy, located.path, located.skill.origin);
  const what = `${name}${file ? ` (${file})` : ''}`;
  ctx.trace.emit(agentId, { type: 'notice', step, message: `load_skill ${what}: read ${decision.decision} (${decision.rule})` });
  if (decision.decision === 'deny') return { result: `Not loaded: ${decision.reason}` };
  if (decision.decision === 'ask') {
    const answer = await ctx.approver.approve({ kind: 'tool', tool: LOAD_SKILL, args: { name, ...(file ? { file } : {}) }, policy: decision }, ctx.signal);
    if (!answer.approved) return { result: `Not loaded: the user declined reading the skill ${what}.` };
  }
  const read = skills.read(located.path);
  if ('error' in read) return { result: `Error: ${read.error}` };
  ctx.onEvent({ type: 'notice', message: `loaded the skill ${what} from ${located.skill.source}` });
  const label = `${SKILL_MESSAGE_PREFIX}${what} from ${located.skill.source}]`;
  return {
    result: `Loaded the skill ${what} (${read.text.length} characters); its content is in the next message.`,
    message: { role: 'user', content: `${label}\n${read.text}`, origin: 'skill' },
  };
}

/**
 * The user's own skills live under $TILLER_HOME, outside the workspace, where the default denies every read: that
 * default (and only it) gives way for them, since the user put them there; the file is still read only from inside
 * the skill's own folder (core/workflows/skills.ts). Project skills are decided like any workspace read.
 */
function readDecision(policy: PolicyEngine, path: string, origin: 'user' | 'project' | 'tiller'): PolicyDecision {
  const decision = policy.decide({ kind: 'read', path });
  if (origin === 'user' && decision.decision === 'deny' && decision.rule === NAMED.outside && decision.source === 'default') {
    return { decision: 'allow', rule: 'user skill', source: 'user', reason: 'a skill in your own folder under $TILLER_HOME' };
  }
  return decision;
}
