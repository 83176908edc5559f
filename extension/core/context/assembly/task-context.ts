// The harness's way to build one task's context hooks: the small model for compaction summaries (through the
// task's model client, recorded in the trace as a model_call with purpose `compaction`), the task record under
// TILLER_HOME/tasks, and the workspace's session memory under TILLER_HOME/memory.
import { join } from 'node:path';
import type { ModelClient } from '../../model/types.js';
import type { TraceSink } from '../../trace/events.js';
import { requestHash } from '../../trace/replay/hash.js';
import type { MentionSources, RepoContext } from '../ports.js';
import { SUMMARY_INSTRUCTIONS, type Summarize } from '../compaction/summarize.js';
import { memoryPath, SessionMemory } from '../../memory/session-memory.js';
import { createTillerContext, type TillerContext } from './tiller-context.js';
import { createFsMentionSources } from './fs-mentions.js';
import { modelCallEvent } from '../../trace/model-call.js';

export interface TaskContextOptions {
  model: ModelClient;
  trace: TraceSink;
  workspaceRoot: string;
  /** Where project rules are read from (a worktree task's base tree); defaults to workspaceRoot. */
  configRoot?: string;
  tillerHome: string;
  /** Names the task record file: `<session>-<n>.jsonl`. */
  taskId: string;
  repo?: RepoContext;
  mentions?: MentionSources;
  contextWindows?: Record<string, number>;
}

/** Tokens a compaction summary may use. */
const SUMMARY_MAX_TOKENS = 1024;

export function summarizerFor(model: ModelClient, trace: TraceSink, workspaceRoot: string): Summarize {
  return async ({ messages, agentId, step, signal }) => {
    const request = [{ role: 'system' as const, content: SUMMARY_INSTRUCTIONS }, ...messages];
    const response = await model.complete({ role: 'small', messages: request, signal, purpose: 'compaction', maxTokens: SUMMARY_MAX_TOKENS });
    trace.emit(agentId, modelCallEvent(response, { step, role: 'small', purpose: 'compaction', requestHash: requestHash(request, [], workspaceRoot) }));
    return { text: response.text, usage: response.usage, costUsd: response.costUsd };
  };
}

export function contextForTask(o: TaskContextOptions): TillerContext {
  return createTillerContext({
    workspaceRoot: o.workspaceRoot,
    ...(o.configRoot !== undefined ? { configRoot: o.configRoot } : {}),
    model: o.model.modelFor('large'),
    ...(o.contextWindows ? { contextWindows: o.contextWindows } : {}),
    ...(o.repo ? { repo: o.repo } : {}),
    mentions: o.mentions ?? createFsMentionSources(o.workspaceRoot),
    summarize: summarizerFor(o.model, o.trace, o.workspaceRoot),
    recordPath: join(o.tillerHome, 'tasks', `${o.taskId}.jsonl`),
    memory: new SessionMemory(memoryPath(o.tillerHome, o.workspaceRoot)),
    onNotice: (agentId, step, message) => o.trace.emit(agentId, { type: 'notice', step, message }),
  });
}
