// The agent loop: ask the model, run the tool calls it makes through the gate, feed back the observations, repeat
// until it answers without a tool call or the harness stops it. One loop serves the coordinator and its subagents;
// they differ in tools, role, system prompt and step limit, and share the task's budget, trace and cancellation.
import type { ChatMessage, ImageAttachment, ModelClient, ModelRole, ToolDefinition } from '../model/types.js';
import { ModelError } from '../model/types.js';
import { estimateMessagesTokens } from '../model/tokens.js';
import type { ToolDescriptor, ToolImage } from '../tools/types.js';
import { toModelToolName } from '../model/tool-names.js';
import { SHELL_TOOL } from '../model/builtin-tools.js';
import type { PolicyEngine } from '../policy/types.js';
import type { Approver, ChangeObserver, DoneChecks, EditApplier } from '../ports.js';
import type { TraceSink } from '../trace/events.js';
import type { ToolHost } from '../tools/types.js';
import type { AgentEvent, AgentMode } from './types.js';
import type { TaskErrorKind } from './error-kinds.js';
import type { BudgetKind, BudgetTracker } from './budget.js';
import { LoopDetector } from './loop-detector.js';
import { parseArguments, ToolGate, type ParsedArguments } from './tool-gate.js';
import { READ_ONLY_TOOLS } from './tool-actions.js';
import {
  ASK_USER,
  CONTROL_TOOL_DEFINITIONS,
  CONTROL_TOOL_NAMES,
  DELEGATE,
  delegateDefinition,
  EXPLORE,
  LOAD_SKILL,
  LOAD_SKILL_DEFINITION,
} from './control-tools.js';
import { intersectFilters, toolAllowed, type AgentProfile, type SkillLibrary, type ToolFilter } from './profile.js';
import { loadSkillCall } from './skill-tool.js';
import { PLAN_APPROVED, RESUMED } from './prompts.js';
import type { ContextHooks } from './context-hooks.js';
import type { SessionLog } from './session-log.js';
import type { Checkpointer } from '../ports.js';
import { progressSummary, type Progress } from './summary.js';
import { doneStepsFrom, planSteps } from '../memory/record-updates.js';
import { requestHash } from '../trace/replay/hash.js';
import { modelCallEvent } from '../trace/model-call.js';
import { DoneGate } from './done-gate.js';
import type { LifecycleHooks } from './hooks/types.js';
import { MAX_STOP_CONTINUATIONS } from './hooks/runtime.js';
import type { ImageStore } from '../model/image-store.js';
import { toolImageMessage, type ReturnedImage } from './tool-images.js';

/** Completion tokens assumed for a call when checking budgets before it is made. */
const EXPECTED_COMPLETION_TOKENS = 1024;
/** A subagent's own step limit: explorers answer a question, they do not wander. */
export const EXPLORER_MAX_STEPS = 12;
/** A delegated custom agent's step limit: a bounded task, inside the coordinator's budget. */
export const DELEGATE_MAX_STEPS = 20;
/** The longest report a subagent hands back: the coordinator's context stays small. */
const MAX_REPORT_CHARS = 20_000;

/** Everything one task shares across its coordinator and subagents. */
export interface TaskContext {
  model: ModelClient;
  host: ToolHost;
  policy: PolicyEngine;
  approver: Approver;
  editApplier: EditApplier;
  checkpointer?: Checkpointer;
  changeObservers?: ChangeObserver[];
  /** Checks that must pass before the coordinator may end as done (agent/done-gate.ts). */
  doneChecks?: DoneChecks;
  /** Where images MCP tools return are checked and stored; without one they stay text placeholders. */
  imageStore?: ImageStore;
  context: ContextHooks;
  /** The coordinator's conversation, persisted for resume. */
  sessionLog?: SessionLog;
  trace: TraceSink;
  budget: BudgetTracker;
  workspaceRoot: string;
  allTools: ToolDescriptor[];
  /** Aborted by the user (cancel) or by the time budget; `timedOut()` tells which. */
  signal: AbortSignal;
  timedOut: () => boolean;
  now: () => number;
  onEvent: (event: AgentEvent) => void;
  progress: Progress;
  subagents: number;
  /** Lifecycle hooks (settings.json `hooks`); none when absent. */
  hooks?: LifecycleHooks | undefined;
  /** Custom agents the coordinator may hand tasks to (`delegate`); the tool is offered only when there are some. */
  delegates?: readonly AgentProfile[];
  /** Skills the coordinator may load (`load_skill`); the tool is offered only when there are some. */
  skills?: SkillLibrary;
}

export interface AgentSpec {
  id: string;
  mode: AgentMode | 'explorer';
  role: ModelRole;
  task: string;
  /** The coordinator's steps are the task's step budget; a subagent has its own limit. */
  countsTaskSteps: boolean;
  maxOwnSteps?: number;
  /** Continue from a persisted conversation instead of opening a new one. */
  resumeFrom?: ChatMessage[];
  /** A custom agent this run is: its instructions open the conversation. */
  profile?: AgentProfile;
  /** Only these of the mode's tools are offered (and so the only ones the gate runs); all when omitted. */
  tools?: ToolFilter;
  /** The slash command the task was expanded from (for the context inspector). */
  command?: { name: string; source: string; origin: 'user' | 'project' | 'tiller' };
  /** Images the user attached to the task: they ride on the opening's task message. */
  images?: ImageAttachment[];
}

export type AgentResult =
  | { status: 'done'; text: string; plan?: string }
  | { status: 'budget_exhausted'; exhausted: BudgetKind; reason: string; text: string }
  | { status: 'denied'; text: string }
  | { status: 'cancelled'; text: string }
  | { status: 'failed'; error: string; errorKind: TaskErrorKind; text: string };

export async function runAgent(ctx: TaskContext, spec: AgentSpec): Promise<AgentResult> {
  return new AgentLoop(ctx, spec).run();
}

class AgentLoop {
  private mode: AgentMode | 'explorer';
  private messages: ChatMessage[] = [];
  private readonly detector = new LoopDetector();
  private ownSteps = 0;
  private lastText = '';
  private plan: string | undefined;
  /** The approved plan's steps and which are done, for the UI's checklist. */
  private planProgress: { text: string; done: boolean }[] = [];
  private cachedGate: ToolGate | undefined;
  private gateMode: AgentMode | 'explorer' | undefined;
  private readonly doneGate: DoneGate;
  /** Stop-hook continuations so far (`stop_hook_active` once there was one), capped so a hook cannot keep the agent forever. */
  private stopContinuations = 0;
  /** Skill content loaded during the current step, pushed once its tool results are in. */
  private pendingSkills: ChatMessage[] = [];

  constructor(
    private readonly ctx: TaskContext,
    private readonly spec: AgentSpec,
  ) {
    this.mode = spec.mode;
    this.doneGate = new DoneGate(spec.countsTaskSteps ? ctx.doneChecks : undefined, ctx.approver, ctx.trace, spec.id);
  }

  async run(): Promise<AgentResult> {
    try {
      if (this.spec.resumeFrom) {
        this.messages = [...this.spec.resumeFrom];
        this.push({ role: 'user', content: RESUMED, origin: 'resumed' });
      } else {
        const opening = await this.ctx.context.initialMessages({
          agentId: this.spec.id,
          mode: this.spec.mode,
          task: this.spec.task,
          workspaceRoot: this.ctx.workspaceRoot,
          ...(this.spec.profile ? { profile: this.spec.profile } : {}),
          ...(this.spec.command ? { command: this.spec.command } : {}),
          ...(this.spec.countsTaskSteps && this.ctx.skills ? { skills: this.ctx.skills.list() } : {}),
        });
        for (const m of withTaskImages(opening, this.spec.images)) this.push(m);
      }
      const refused = await this.openingHooks();
      if (refused) return refused;
      return await this.loop();
    } catch (err) {
      if (this.ctx.signal.aborted) return this.stopped();
      const message = err instanceof Error ? err.message : String(err);
      this.ctx.trace.emit(this.spec.id, { type: 'error', step: this.ownSteps, message });
      return { status: 'failed', error: message, errorKind: 'internal', text: this.lastText };
    }
  }

  /**
   * SessionStart and UserPromptSubmit, for the coordinator: their context joins the history before the first call; a
   * prompt a hook blocks never reaches the model (the task ends as denied, with the hook's reason).
   */
  private async openingHooks(): Promise<AgentResult | undefined> {
    const { ctx, spec } = this;
    if (!ctx.hooks || !spec.countsTaskSteps) return undefined;
    const signal = ctx.signal;
    const start = await ctx.hooks.sessionStart({ agent: spec.id, source: spec.resumeFrom ? 'resume' : 'startup', signal });
    this.pushHookContext(start.context);
    if (spec.resumeFrom) return undefined;
    const prompt = await ctx.hooks.userPromptSubmit({ agent: spec.id, prompt: spec.task, signal });
    const refusal = prompt.block ?? prompt.stop;
    if (refusal !== undefined) {
      ctx.trace.emit(spec.id, { type: 'notice', step: 0, message: `the prompt was blocked by a UserPromptSubmit hook: ${refusal}` });
      ctx.onEvent({ type: 'notice', message: `the prompt was blocked by a UserPromptSubmit hook: ${refusal}` });
      return { status: 'denied', text: refusal };
    }
    this.pushHookContext(prompt.context);
    return undefined;
  }

  private pushHookContext(context: readonly string[] | undefined): void {
    if (context?.length) this.push({ role: 'user', content: context.join('\n\n'), origin: 'hook' });
  }

  /** Every message joins the history through here, so the coordinator's session log misses nothing. */
  private push(message: ChatMessage): void {
    this.messages.push(message);
    this.log({ type: 'message', message });
  }

  private log(record: Parameters<SessionLog['append']>[0]): void {
    if (this.spec.countsTaskSteps) this.ctx.sessionLog?.append(record);
  }

  private stopped(): AgentResult {
    if (this.ctx.timedOut()) return { status: 'budget_exhausted', exhausted: 'time', reason: this.ctx.budget.describe('time'), text: this.lastText };
    return { status: 'cancelled', text: this.lastText };
  }

  private async loop(): Promise<AgentResult> {
    const { ctx, spec } = this;
    for (;;) {
      if (ctx.signal.aborted) return this.stopped();
      const { tools, nameMap } = this.toolsForMode();
      const promptTokens = estimateMessagesTokens(this.messages) + Math.ceil(JSON.stringify(tools).length / 4);
      let exhausted: BudgetKind | undefined = ctx.budget.exhaustedBefore({
        estimatedTokens: promptTokens + EXPECTED_COMPLETION_TOKENS,
        estimatedCostUsd: ctx.model.estimateCost(spec.role, promptTokens, EXPECTED_COMPLETION_TOKENS),
        nextStep: spec.countsTaskSteps,
      });
      if (!exhausted && spec.maxOwnSteps !== undefined && this.ownSteps >= spec.maxOwnSteps) exhausted = 'steps';
      if (exhausted === 'steps' && spec.countsTaskSteps && (await this.askToContinue())) exhausted = undefined;
      if (exhausted) {
        const reason =
          exhausted === 'steps' && !spec.countsTaskSteps ? `the subagent's step limit (${spec.maxOwnSteps}) is reached` : ctx.budget.describe(exhausted);
        ctx.trace.emit(spec.id, { type: 'notice', step: this.ownSteps, message: `budget: ${reason}` });
        const failing = exhausted === 'steps' ? await this.doneGate.atStepLimit(ctx.signal) : undefined;
        if (failing) return { status: 'failed', error: failing, errorKind: 'check', text: this.lastText };
        return { status: 'budget_exhausted', exhausted, reason, text: this.lastText };
      }

      this.ownSteps++;
      if (spec.countsTaskSteps) {
        ctx.budget.totals.steps++;
        ctx.onEvent({ type: 'step', step: ctx.budget.totals.steps });
      }
      const step = this.ownSteps;
      const isMain = spec.countsTaskSteps;
      const hooks = ctx.hooks;
      const prepared = await ctx.context.prepare({
        agentId: spec.id,
        step,
        messages: this.messages,
        signal: ctx.signal,
        recordUsage: (usage, costUsd) => ctx.budget.recordCall(usage, costUsd),
        ...(hooks ? { beforeCompact: async () => void (await hooks.preCompact({ agent: spec.id, trigger: 'auto', step, signal: ctx.signal })) } : {}),
      });
      if (prepared !== this.messages) {
        this.messages = prepared;
        this.log({ type: 'history', messages: prepared });
      }

      let response;
      try {
        response = await ctx.model.complete({
          role: spec.role,
          messages: this.messages,
          tools,
          signal: ctx.signal,
          purpose: spec.mode === 'explorer' ? 'explore' : 'step',
          onEvent: (e) => {
            if (!isMain) return;
            if (e.type === 'text') ctx.onEvent({ type: 'text', delta: e.delta });
            else if (e.type === 'retry') ctx.onEvent({ type: 'text_reset' });
            else if (e.type === 'notice') ctx.onEvent({ type: 'notice', message: e.message });
            else ctx.onEvent({ type: 'notice', message: `switched from ${e.from} to fallback model ${e.to}: ${e.reason}` });
          },
        });
      } catch (err) {
        if (ctx.signal.aborted) return this.stopped();
        if (err instanceof ModelError) {
          ctx.trace.emit(spec.id, { type: 'model_error', step, kind: err.kind, message: err.message });
          return { status: 'failed', error: err.message, errorKind: err.kind, text: this.lastText };
        }
        throw err;
      }

      ctx.budget.recordCall(response.usage, response.costUsd);
      this.log({ type: 'totals', totals: { ...ctx.budget.totals } });
      ctx.trace.emit(
        spec.id,
        modelCallEvent(response, {
          step,
          role: spec.role,
          purpose: spec.mode === 'explorer' ? 'explore' : 'step',
          // What replay needs: the request's fingerprint and the reply itself (the full request only when opted in).
          requestHash: requestHash(this.messages, tools, ctx.workspaceRoot),
          ...(ctx.trace.recordPrompts ? { request: { messages: [...this.messages], tools } } : {}),
        }),
      );
      if (response.text.trim()) this.lastText = response.text;
      if (isMain && this.planProgress.length) this.tickPlan(response.text);
      this.push({ role: 'assistant', content: response.text || null, ...(response.toolCalls.length ? { toolCalls: response.toolCalls } : {}) });

      if (response.toolCalls.length === 0) {
        if (this.mode !== 'plan') {
          const gate = await this.doneGate.beforeDone(step, ctx.signal);
          if (!gate.end) {
            this.push(gate.observation);
            continue;
          }
          // Tiller's own done checks first (a failing one sends the agent back), then the project's Stop hooks.
          if (await this.stopHookContinues(step)) continue;
          return { status: 'done', text: response.text, ...(this.plan ? { plan: this.plan } : {}) };
        }
        const verdict = await this.reviewPlan(response.text);
        if (verdict) return verdict;
        continue;
      }

      const changedThisStep = new Set<string>();
      const hookContext: string[] = [];
      this.pendingSkills = [];
      const imagesThisStep: ReturnedImage[] = [];
      for (let i = 0; i < response.toolCalls.length; i++) {
        const call = response.toolCalls[i]!;
        // Parsed once here; the detector, the UI events, the gate and the context all use this value.
        const parsed = parseArguments(call.arguments);
        const outcome = await this.runCall(step, call, nameMap, parsed);
        for (const f of outcome.changedFiles ?? []) changedThisStep.add(f);
        for (const image of outcome.images ?? []) imagesThisStep.push({ tool: outcome.tool ?? call.name, image });
        const content =
          ctx.context.observe && outcome.tool
            ? ctx.context.observe({
                agentId: spec.id,
                step,
                tool: outcome.tool,
                args: argsOf(parsed),
                content: outcome.content,
                isError: outcome.isError ?? false,
                ...(outcome.changedFiles ? { changedFiles: outcome.changedFiles } : {}),
              })
            : outcome.content;
        this.push({ role: 'tool', toolCallId: call.id, content });
        hookContext.push(...(outcome.hookContext ?? []));
        if (outcome.halt) {
          // Keep the conversation well-formed (every call answered) so the session can be resumed.
          for (const rest of response.toolCalls.slice(i + 1)) this.push({ role: 'tool', toolCallId: rest.id, content: 'Not run: the task was stopped.' });
          return outcome.halt;
        }
      }
      this.pushHookContext(hookContext);
      // Loaded skills join as user messages after the step's tool results, so every call stays answered in order.
      for (const m of this.pendingSkills) this.push(m);
      this.pendingSkills = [];
      const imageMessage = toolImageMessage(imagesThisStep, ctx.imageStore);
      if (imageMessage) this.push(imageMessage);
      if (changedThisStep.size > 0) await this.observeChanges(step, [...changedThisStep]);
    }
  }

  /**
   * Stop (or SubagentStop) hooks when the agent would finish: exit 2 or `decision: "block"` sends it back to work with
   * the hook's text as feedback, at most MAX_STOP_CONTINUATIONS times per agent (budgets still bound it).
   */
  private async stopHookContinues(step: number): Promise<boolean> {
    const { ctx, spec } = this;
    if (!ctx.hooks) return false;
    const verdict = await ctx.hooks.stop({ agent: spec.id, subagent: !spec.countsTaskSteps, active: this.stopContinuations > 0, step, signal: ctx.signal });
    this.pushHookContext(verdict.context);
    if (verdict.block === undefined || verdict.stop !== undefined) return false;
    if (this.stopContinuations >= MAX_STOP_CONTINUATIONS) {
      ctx.trace.emit(spec.id, { type: 'notice', step, message: `a Stop hook blocked ${MAX_STOP_CONTINUATIONS} times; the agent stops anyway` });
      return false;
    }
    this.stopContinuations++;
    this.push({ role: 'user', content: `A Stop hook did not let you finish yet. It said:\n${verdict.block}`, origin: 'hook' });
    return true;
  }

  /**
   * After a step that changed files, each observer (diagnostics, checks) may say what the change did; what they say
   * joins the history as one `observation` message, after the tool results so the conversation stays well-formed.
   */
  private async observeChanges(step: number, files: string[]): Promise<void> {
    const observers = this.ctx.changeObservers ?? [];
    if (observers.length === 0 || !this.spec.countsTaskSteps) return;
    const texts: string[] = [];
    for (const observer of observers) {
      if (this.ctx.signal.aborted) return;
      try {
        const o = await observer.afterChanges(files, this.ctx.signal);
        if (o) texts.push(o.text);
      } catch (err) {
        // An observer that fails must not end the task; the model simply hears nothing from it.
        this.ctx.trace.emit(this.spec.id, { type: 'notice', step, message: `observer failed: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
    if (texts.length > 0) this.push({ role: 'user', content: texts.join('\n\n'), origin: 'observation' });
  }

  /** The gate for the current mode: it only knows the tools the mode offers, so plan mode cannot reach an edit. */
  private gate(): ToolGate {
    const { ctx, spec } = this;
    if (this.gateMode !== this.mode || !this.cachedGate) {
      const allowed = new Set(this.toolsForMode().nameMap.values());
      this.cachedGate = new ToolGate(
        {
          host: ctx.host,
          policy: ctx.policy,
          approver: ctx.approver,
          editApplier: ctx.editApplier,
          checkpointer: ctx.checkpointer,
          trace: ctx.trace,
          agent: spec.id,
          now: ctx.now,
          workspaceRoot: ctx.workspaceRoot,
          hooks: ctx.hooks,
        },
        new Map(ctx.allTools.filter((d) => allowed.has(d.name)).map((d) => [d.name, d])),
      );
      this.gateMode = this.mode;
    }
    return this.cachedGate;
  }

  private toolsForMode(): { tools: ToolDefinition[]; nameMap: Map<string, string> } {
    const readOnly = this.mode !== 'act';
    const nameMap = new Map<string, string>();
    const tools: ToolDefinition[] = [];
    for (const d of this.ctx.allTools) {
      if (readOnly && !READ_ONLY_TOOLS.has(d.name)) continue;
      if (!toolAllowed(this.spec.tools, d.name)) continue;
      const modelName = toModelToolName(d.name);
      nameMap.set(modelName, d.name);
      tools.push({ name: modelName, description: d.description, parameters: d.inputSchema });
    }
    // Only the coordinator steers: subagents (explorers, delegated agents) get no control tools, so they cannot recurse.
    if (this.spec.countsTaskSteps) {
      tools.push(CONTROL_TOOL_DEFINITIONS[ASK_USER]!, CONTROL_TOOL_DEFINITIONS[EXPLORE]!);
      if (this.ctx.delegates?.length) tools.push(delegateDefinition(this.ctx.delegates));
      if (this.ctx.skills?.list().length) tools.push(LOAD_SKILL_DEFINITION);
    }
    return { tools, nameMap };
  }

  private async runCall(
    step: number,
    call: { id: string; name: string; arguments: string },
    nameMap: Map<string, string>,
    parsed: ParsedArguments,
  ): Promise<{ content: string; halt?: AgentResult; tool?: string; isError?: boolean; changedFiles?: string[]; hookContext?: string[]; images?: ToolImage[] }> {
    const { ctx, spec } = this;
    ctx.budget.totals.toolCalls++;
    ctx.progress.toolCalls++;
    const isMain = spec.countsTaskSteps;
    const mcpName = nameMap.get(call.name);
    const args = argsOf(parsed);
    const verdict = this.detector.observe(call.name, args);
    if (verdict.verdict === 'stop') {
      const reason = `the agent repeated the same call to ${call.name} ${verdict.count} times`;
      ctx.trace.emit(spec.id, { type: 'notice', step, message: `loop detected: ${reason}` });
      return {
        content: 'Not run: repeated call.',
        halt: { status: 'failed', error: `Stopped: ${reason} without making progress.`, errorKind: 'loop', text: this.lastText },
      };
    }
    if (verdict.verdict === 'refuse') {
      ctx.trace.emit(spec.id, { type: 'notice', step, message: `repeated call refused: ${call.name} (${verdict.count} times)` });
      return {
        content: `Not run: you have made this exact call ${verdict.count} times and its result will not change. Use what you already have or try a different approach.`,
      };
    }

    if (!mcpName && CONTROL_TOOL_NAMES.has(call.name) && spec.countsTaskSteps) {
      return { content: await this.runControlTool(step, call, args) };
    }

    if (isMain) ctx.onEvent({ type: 'tool_call', id: call.id, tool: mcpName ?? call.name, args });
    const result = await this.gate().execute(step, call, mcpName, ctx.signal, parsed);
    if (isMain) ctx.onEvent({ type: 'tool_result', id: call.id, tool: mcpName ?? call.name, isError: result.isError, preview: result.content.slice(0, 500) });
    if (result.changedFiles?.length) {
      for (const f of result.changedFiles) ctx.progress.filesChanged.add(f);
      this.detector.reset();
    }
    if (mcpName === SHELL_TOOL && !result.isError) ctx.progress.commandsRun.push(String(args.command ?? ''));
    if (result.stop === 'denied') {
      return { content: result.content, halt: { status: 'denied', text: this.lastText } };
    }
    return {
      content: result.content,
      isError: result.isError,
      ...(mcpName ? { tool: mcpName } : {}),
      ...(result.changedFiles?.length ? { changedFiles: result.changedFiles } : {}),
      ...(result.hookContext?.length ? { hookContext: result.hookContext } : {}),
      ...(result.images?.length ? { images: result.images } : {}),
    };
  }

  private async runControlTool(step: number, call: { id: string; name: string; arguments: string }, args: Record<string, unknown>): Promise<string> {
    const { ctx, spec } = this;
    if (call.name === DELEGATE) return this.delegate(step, call.id, args);
    if (call.name === LOAD_SKILL) {
      if (!ctx.skills) return 'Error: no skills are available in this workspace.';
      const loaded = await loadSkillCall(ctx, spec.id, step, ctx.skills, args);
      if (loaded.message) this.pendingSkills.push(loaded.message);
      return loaded.result;
    }
    const question = typeof args.question === 'string' ? args.question.trim() : '';
    if (!question) return `Error: ${call.name} needs a non-empty \`question\` string.`;
    if (call.name === ASK_USER) {
      const answer = await ctx.approver.askUser(question, ctx.signal);
      ctx.trace.emit(spec.id, { type: 'notice', step, message: `asked the user: ${question} -> ${answer === undefined ? '(no answer)' : 'answered'}` });
      ctx.trace.emit(spec.id, { type: 'question', step, question, answer: answer ?? null });
      // The exchange belongs in the transcript: the question was asked in a dialog the user may not see again.
      ctx.onEvent({ type: 'question', question, answer: answer ?? null });
      return answer === undefined
        ? 'Nobody is available to answer. Proceed with the most reasonable assumption and state it in your final answer.'
        : `The user answered: ${answer}`;
    }
    // The explorer keeps to the coordinator's tool list too: a narrowed agent cannot widen it through a subagent.
    const result = await this.runSubagent(step, call.id, {
      id: `explorer-${++ctx.subagents}`,
      mode: 'explorer',
      role: 'small',
      task: question,
      countsTaskSteps: false,
      maxOwnSteps: EXPLORER_MAX_STEPS,
      ...(spec.tools ? { tools: spec.tools } : {}),
    });
    if (result.status === 'done') return `Explorer report:\n${result.text}`;
    if (result.status === 'failed') return `The explorer failed: ${result.error}`;
    return `The explorer stopped early (${result.status}). What it had found: ${result.text || 'nothing conclusive'}`;
  }

  /**
   * One subagent run inside the task: its own conversation and step limit, the task's budget (so its cost is the
   * task's), its own trace bracket and a `subagent` line in the coordinator's trace for the cost ledger.
   */
  private async runSubagent(step: number, callId: string, sub: AgentSpec): Promise<AgentResult> {
    const { ctx, spec } = this;
    const before = { ...ctx.budget.totals };
    ctx.trace.emit(sub.id, {
      type: 'session_start',
      task: sub.task,
      mode: sub.mode,
      model: ctx.model.modelFor(sub.role),
      smallModel: ctx.model.modelFor('small'),
      workspace: ctx.workspaceRoot,
      budgets: { maxSteps: sub.maxOwnSteps ?? EXPLORER_MAX_STEPS },
    });
    const result = await runAgent(ctx, sub);
    const costUsd = ctx.budget.totals.costUsd - before.costUsd;
    const promptTokens = ctx.budget.totals.promptTokens - before.promptTokens;
    const completionTokens = ctx.budget.totals.completionTokens - before.completionTokens;
    ctx.trace.emit(spec.id, { type: 'subagent', step, callId, id: sub.id, status: result.status, costUsd, promptTokens, completionTokens });
    ctx.trace.emit(sub.id, {
      type: 'session_end',
      status: result.status,
      summary: result.text.slice(0, 500),
      steps: 0,
      promptTokens,
      completionTokens,
      costUsd,
      durationMs: 0,
    });
    return result;
  }

  /**
   * `delegate`: a custom agent does a bounded task with its own prompt and tools (its list inside the coordinator's,
   * read-only while the coordinator plans) and reports back.
   */
  private async delegate(step: number, callId: string, args: Record<string, unknown>): Promise<string> {
    const { ctx, spec } = this;
    const name = typeof args.agent === 'string' ? args.agent.trim() : '';
    const task = typeof args.task === 'string' ? args.task.trim() : '';
    const profile = ctx.delegates?.find((a) => a.name === name);
    if (!profile) return `Error: no agent named ${JSON.stringify(name)}; the agents are: ${(ctx.delegates ?? []).map((a) => a.name).join(', ') || '(none)'}.`;
    if (!task) return `Error: ${DELEGATE} needs a non-empty \`task\` string.`;
    const tools = intersectFilters(spec.tools, profile.tools);
    const id = `agent-${profile.name}-${++ctx.subagents}`;
    ctx.onEvent({ type: 'notice', message: `delegated to the agent ${profile.name} (${profile.source})` });
    const result = await this.runSubagent(step, callId, {
      id,
      // While the coordinator plans, its delegates only read too.
      mode: this.mode === 'act' ? 'act' : 'explorer',
      role: profile.role ?? 'large',
      task,
      countsTaskSteps: false,
      maxOwnSteps: DELEGATE_MAX_STEPS,
      profile,
      ...(tools ? { tools } : {}),
    });
    ctx.onEvent({ type: 'notice', message: `the agent ${profile.name} finished: ${result.status}` });
    const report =
      result.text.length > MAX_REPORT_CHARS ? `${result.text.slice(0, MAX_REPORT_CHARS)}\n[report cut at ${MAX_REPORT_CHARS} characters]` : result.text;
    if (result.status === 'done') return `Report from the agent ${profile.name}:\n${report}`;
    if (result.status === 'failed') return `The agent ${profile.name} failed: ${result.error}`;
    return `The agent ${profile.name} stopped early (${result.status}). What it had: ${report || 'nothing conclusive'}`;
  }

  /** Marks the steps the agent reports finished (`Done: step N`) and tells the UI when anything changed. */
  private tickPlan(text: string): void {
    let changed = false;
    for (const n of doneStepsFrom(text)) {
      const step = this.planProgress[n - 1];
      if (step && !step.done) {
        step.done = true;
        changed = true;
      }
    }
    if (changed) this.ctx.onEvent({ type: 'plan_progress', steps: this.planProgress.map((s) => ({ ...s })) });
  }

  /**
   * At the step limit the user decides: go on for another budget's worth of steps, or stop here. Ending silently
   * would leave a half-done task looking finished.
   */
  private async askToContinue(): Promise<boolean> {
    const { ctx, spec } = this;
    const extraSteps = ctx.budget.budgets.maxSteps;
    const reason = ctx.budget.describe('steps');
    const summary = progressSummary(reason, { ...ctx.progress, lastModelText: this.lastText });
    const decision = await ctx.approver.approve({ kind: 'continue', reason, summary, extraSteps }, ctx.signal);
    ctx.trace.emit(spec.id, {
      type: 'approval',
      step: this.ownSteps,
      callId: 'continue',
      kind: 'continue',
      approved: decision.approved,
      ...(decision.approved ? {} : { reason: decision.reason }),
    });
    if (!decision.approved) return false;
    ctx.budget.budgets.maxSteps += extraSteps;
    return true;
  }

  /** Plan mode ends with a plan: the user approves it (act on it), declines with feedback (revise), or stops. */
  private async reviewPlan(plan: string): Promise<AgentResult | undefined> {
    const decision = await this.ctx.approver.approve({ kind: 'plan', plan }, this.ctx.signal);
    this.ctx.trace.emit(this.spec.id, {
      type: 'approval',
      step: this.ownSteps,
      callId: 'plan',
      kind: 'plan',
      approved: decision.approved,
      ...(decision.approved ? {} : { reason: decision.reason }),
    });
    if (decision.approved) {
      // The user may have edited the plan while reviewing it; what they approved is the plan.
      if (decision.plan !== undefined && decision.plan.trim()) plan = decision.plan;
      this.plan = plan;
      this.planProgress = planSteps(plan).map((text) => ({ text, done: false }));
      if (this.planProgress.length) this.ctx.onEvent({ type: 'plan_progress', steps: this.planProgress.map((s) => ({ ...s })) });
      this.mode = 'act';
      this.log({ type: 'mode', mode: 'act' });
      // The task now acts: a UI showing "plan" would say the wrong thing about what runs next.
      this.ctx.onEvent({ type: 'mode', mode: 'act' });
      this.push({ role: 'user', content: `${PLAN_APPROVED}\n\nApproved plan:\n${plan}`, origin: 'plan-approved' });
      return undefined;
    }
    if (decision.reason) {
      this.push({ role: 'user', content: `The user did not approve the plan and said: ${decision.reason}\nRevise the plan.`, origin: 'reply' });
      return undefined;
    }
    return { status: 'denied', text: plan };
  }
}

/** The call's arguments where they parsed as an object; `{}` otherwise (the gate answers the model about bad JSON). */
function argsOf(parsed: ParsedArguments): Record<string, unknown> {
  return parsed.ok ? parsed.value : {};
}

/** The task's images go on the opening's last user message (the task itself), tagged as the task. */
function withTaskImages(opening: ChatMessage[], images: ImageAttachment[] | undefined): ChatMessage[] {
  if (!images?.length) return opening;
  const at = opening.map((m) => m.role).lastIndexOf('user');
  if (at < 0) return [...opening, { role: 'user', content: 'The user attached these images.', origin: 'task', images }];
  return opening.map((m, i) => (i === at && m.role === 'user' ? { ...m, origin: m.origin ?? 'task', images: [...(m.images ?? []), ...images] } : m));
}
