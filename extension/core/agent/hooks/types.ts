// The seams lifecycle hooks plug into: the tool gate asks `beforeTool` before a call and tells `afterTool` its result;
// the loop asks the rest at their moments. Implemented by hooks/runtime.ts; absent when no hook is configured.
import type { HookSource } from './config.js';

export type HookPermissionDecision = 'allow' | 'ask' | 'deny';

/** What the hooks of one PreToolUse said about a call, merged (deny over ask over allow). */
export interface HookPermission {
  decision: HookPermissionDecision;
  reason: string;
  /** For an allow: `user` only when a user hook allowed (only a user hook's allow may skip a rule's ask). */
  source: HookSource;
  /** The hook, as it reads in a decision: `hook PreToolUse .claude/settings.json: ./check.sh`. */
  rule: string;
}

export interface ToolCallInfo {
  step: number;
  callId: string;
  agent: string;
  /** Tiller's namespaced name. */
  tool: string;
  args: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface BeforeToolVerdict {
  /** Set when a hook blocked the call (exit 2, `decision: "block"`): the model is told this text; the tool never runs. */
  block?: string;
  permission?: HookPermission;
  /** `additionalContext`: joins the history as a user message (origin `hook`) after the step's tool results. */
  context: string[];
}

export interface AfterToolVerdict {
  /** Exit 2 or `decision: "block"` after the fact: the text is added to what the model sees of the result. */
  feedback?: string;
  context: string[];
}

export interface ToolHooks {
  beforeTool(call: ToolCallInfo): Promise<BeforeToolVerdict>;
  afterTool(call: ToolCallInfo & { result: { content: string; isError: boolean } }): Promise<AfterToolVerdict>;
}

/** What a lifecycle event's hooks said: block (with the text the model or user is told), stop, extra context. */
export interface EventVerdict {
  block?: string;
  /** `continue: false`: the task stops; `stopReason` is the reason. */
  stop?: string;
  context: string[];
}

export interface LifecycleHooks extends ToolHooks {
  sessionStart(info: { agent: string; source: 'startup' | 'resume'; signal?: AbortSignal }): Promise<EventVerdict>;
  userPromptSubmit(info: { agent: string; prompt: string; signal?: AbortSignal }): Promise<EventVerdict>;
  /** `subagent`: SubagentStop; `active`: the agent is already continuing because of a Stop hook (`stop_hook_active`). */
  stop(info: { agent: string; subagent: boolean; active: boolean; step: number; signal?: AbortSignal }): Promise<EventVerdict>;
  preCompact(info: { agent: string; trigger: 'auto' | 'manual'; step: number; signal?: AbortSignal }): Promise<EventVerdict>;
}
