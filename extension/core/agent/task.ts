// One task from start to outcome: the shared budget, cancellation and time limit, the trace's session bracket, and
// the coordinator's run turned into a TaskOutcome the CLI and the extension report.
import type { ImageAttachment, ModelClient, Usage } from '../model/types.js';
import type { PolicyEngine } from '../policy/types.js';
import type { ToolHost } from '../tools/types.js';
import type { Approver, ChangeObserver, Checkpointer, DoneChecks, EditApplier } from '../ports.js';
import { plainContext, type ContextHooks } from './context-hooks.js';
import type { TraceSink } from '../trace/events.js';
import type { AgentEvent, AgentMode, Budgets, TaskOutcome } from './types.js';
import { BudgetTracker, DEFAULT_BUDGETS } from './budget.js';
import { runAgent, type AgentResult, type TaskContext } from './loop.js';
import { NEXT_STEP, progressSummary, type Progress } from './summary.js';
import type { ResumeState, SessionLog } from './session-log.js';
import type { DailySpend } from './daily-spend.js';
import type { LifecycleHooks } from './hooks/types.js';
import { intersectFilters, type AgentProfile, type SkillLibrary, type ToolFilter } from './profile.js';
import type { ModelRole } from '../model/types.js';
import type { ImageStore } from '../model/image-store.js';

export interface TaskDeps {
  model: ModelClient;
  host: ToolHost;
  policy: PolicyEngine;
  approver: Approver;
  editApplier: EditApplier;
  /** Snapshots before applied edits and shell commands, so they can be undone. */
  checkpointer?: Checkpointer;
  /** How the conversation is opened and kept within budget; the plain conversation when omitted. */
  context?: ContextHooks;
  /**
   * Spending that happens outside the loop while the task runs (an MCP server's sampling request answered by the
   * model): the task's budget must count it too. runTask attaches its recorder for the task's lifetime.
   */
  externalSpend?: { attach(record: (usage: Usage, costUsd: number) => void): () => void };
  /** Today's spending across processes (for `maxDailyCostUsd`, and recorded for every call). */
  dailySpend?: DailySpend;
  /** Where the coordinator's conversation is persisted, for resume. */
  sessionLog?: SessionLog;
  /** Told about every applied change set; what they observe goes to the model before its next step. */
  changeObservers?: ChangeObserver[];
  /** Must pass before the task may end as done; a failing one at the step limit makes the task fail. */
  doneChecks?: DoneChecks;
  /** Where images MCP tools return are stored, so they reach the model as images. */
  imageStore?: ImageStore;
  trace: TraceSink;
  workspaceRoot: string;
  now?: () => number;
  /** Lifecycle hooks; `attach` tells the task's UI about hooks that failed. */
  hooks?: LifecycleHooks & { attach?(notify: (message: string) => void): () => void };
}

export interface TaskRequest {
  task: string;
  mode?: AgentMode;
  budgets?: Partial<Budgets>;
  signal?: AbortSignal;
  onEvent?: (event: AgentEvent) => void;
  /** Continue a persisted session: its conversation, mode and spending so far. */
  resume?: ResumeState;
  /** Run the coordinator as this custom agent (its prompt, its tool list, its model role). */
  agent?: AgentProfile;
  /** Tools kept for this task beyond the agent's own list (a slash command's `allowed-tools`); narrows only. */
  tools?: ToolFilter;
  /** The coordinator's model role (a command's `model:`); the agent's, else `large`, when omitted. */
  role?: ModelRole;
  /** Custom agents the coordinator may delegate to. */
  delegates?: readonly AgentProfile[];
  /** Skills the coordinator may load. */
  skills?: SkillLibrary;
  /** The slash command the task text came from. */
  command?: { name: string; source: string; origin: 'user' | 'project' | 'tiller' };
  /** Images attached to the task message. */
  images?: ImageAttachment[];
}

export async function runTask(deps: TaskDeps, request: TaskRequest): Promise<TaskOutcome> {
  const now = deps.now ?? (() => performance.timeOrigin + performance.now());
  const budgets: Budgets = { ...DEFAULT_BUDGETS, ...stripUndefined(request.budgets ?? {}) };
  const startedAt = now();
  const budget = new BudgetTracker(budgets, startedAt, now, deps.dailySpend);
  // A resumed task has already spent steps, tokens and money: the budgets cover the whole task, not each sitting.
  if (request.resume?.totals) Object.assign(budget.totals, { ...request.resume.totals, durationMs: 0 });
  const onEvent = request.onEvent ?? (() => {});
  const detachSpend = deps.externalSpend?.attach((usage, costUsd) => budget.recordCall(usage, costUsd));
  const detachHooks = deps.hooks?.attach?.((message) => onEvent({ type: 'notice', message }));

  // One signal for the whole task: the caller's cancel, or the time budget running out.
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(request.signal?.reason);
  if (request.signal?.aborted) controller.abort(request.signal.reason);
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    budgets.maxTimeMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new Error('time budget exhausted'));
        }, budgets.maxTimeMs)
      : undefined;

  const progress: Progress = { filesChanged: new Set(), commandsRun: [], lastModelText: '', toolCalls: 0 };
  const mode = request.resume?.mode ?? request.mode ?? 'act';
  if (!request.resume) {
    const narrowing = {
      ...(request.agent ? { agent: request.agent.name } : {}),
      ...(request.tools ? { tools: request.tools } : {}),
      ...(request.role ? { role: request.role } : {}),
    };
    deps.sessionLog?.append({
      type: 'start',
      session: deps.trace.session,
      task: request.task,
      mode,
      workspace: deps.workspaceRoot,
      budgets,
      t: Date.now(),
      ...(Object.keys(narrowing).length > 0 ? { narrowing } : {}),
    });
  }
  deps.trace.emit('main', {
    type: 'session_start',
    task: request.task,
    mode,
    model: deps.model.modelFor('large'),
    smallModel: deps.model.modelFor('small'),
    workspace: deps.workspaceRoot,
    budgets: { ...budgets },
  });

  let result: AgentResult;
  try {
    const allTools = await deps.host.listTools();
    const ctx: TaskContext = {
      ...deps,
      context: deps.context ?? plainContext,
      budget,
      allTools,
      signal: controller.signal,
      timedOut: () => timedOut,
      now,
      onEvent,
      progress,
      subagents: 0,
      ...(request.delegates?.length ? { delegates: request.delegates } : {}),
      ...(request.skills ? { skills: request.skills } : {}),
    };
    const tools = intersectFilters(request.agent?.tools, request.tools);
    result = await runAgent(ctx, {
      id: 'main',
      mode,
      role: request.role ?? request.agent?.role ?? 'large',
      task: request.task,
      countsTaskSteps: true,
      ...(request.resume ? { resumeFrom: request.resume.messages } : {}),
      ...(request.agent ? { profile: request.agent } : {}),
      ...(tools ? { tools } : {}),
      ...(request.command ? { command: request.command } : {}),
      ...(request.images?.length ? { images: request.images } : {}),
    });
  } finally {
    detachSpend?.();
    detachHooks?.();
    if (timer) clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }

  budget.totals.durationMs = Math.round(now() - startedAt);
  progress.lastModelText = result.text;
  const outcome = toOutcome(result, budget, progress);
  deps.trace.emit('main', {
    type: 'session_end',
    status: outcome.status,
    summary: outcome.summary,
    steps: outcome.totals.steps,
    promptTokens: outcome.totals.promptTokens,
    completionTokens: outcome.totals.completionTokens,
    costUsd: outcome.totals.costUsd,
    durationMs: outcome.totals.durationMs,
  });
  deps.sessionLog?.append({ type: 'end', status: outcome.status, summary: outcome.summary, t: Date.now() });
  onEvent({ type: 'outcome', outcome });
  return outcome;
}

function toOutcome(result: AgentResult, budget: BudgetTracker, progress: Progress): TaskOutcome {
  const base = { totals: { ...budget.totals }, filesChanged: [...progress.filesChanged] };
  switch (result.status) {
    case 'done':
      return { ...base, status: 'done', summary: result.text, ...(result.plan ? { plan: result.plan } : {}) };
    case 'budget_exhausted':
      return { ...base, status: 'budget_exhausted', exhausted: result.exhausted, summary: progressSummary(result.reason, progress) };
    case 'denied':
      return { ...base, status: 'denied', summary: progressSummary('an action the task needed was declined', progress, NEXT_STEP.denied) };
    case 'cancelled':
      return { ...base, status: 'cancelled', summary: progressSummary('cancelled by the user', progress, NEXT_STEP.cancelled) };
    case 'failed':
      return {
        ...base,
        status: 'failed',
        error: result.error,
        errorKind: result.errorKind,
        summary: progressSummary(result.error, progress, NEXT_STEP.failed),
      };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
