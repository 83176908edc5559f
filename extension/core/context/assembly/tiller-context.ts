// Tiller's context hooks: the opening prompt from rules, memory, the repository slice, @-mentions and the task;
// compaction when the history outgrows its budget, with the task record and the rules put back afterwards; read
// de-duplication; and the task record fed from what the agent does. One instance per task.
import type { ChatMessage } from '../../model/types.js';
import { estimateMessagesTokens } from '../../model/tokens.js';
import { READ_FILE_TOOL } from '../../model/builtin-tools.js';
import type { ContextHooks, OpeningInput } from '../../agent/context-hooks.js';
import { plainContext } from '../../agent/context-hooks.js';
import { hasOrigin } from '../message-origin.js';
import { SKILL_MESSAGE_PREFIX } from '../../agent/skill-tool.js';
import type { MentionSources, RepoContext } from '../ports.js';
import { TaskRecord } from '../../memory/task-record.js';
import { constraintsFrom, notesFrom, planSteps, recordObservation, doneStepsFrom } from '../../memory/record-updates.js';
import { ReadDedup } from '../../memory/read-dedup.js';
import { renderMemories, summaryFromRecord, type SessionMemory } from '../../memory/session-memory.js';
import { compact, type CompactionSettings } from '../compaction/compactor.js';
import { isElided } from '../compaction/masking.js';
import type { Summarize } from '../compaction/summarize.js';
import { checkPairing } from '../compaction/history.js';
import { contextWindowFor, OPENING_SHARES, promptBudget } from './budget.js';
import { buildOpening, type OpeningPart } from './opening.js';
import { loadRules, type RuleFile } from './rules.js';
import { mentionedPaths, parseMentions, resolveMentions } from './mentions.js';
import type { ContextInspection, ContextItem } from './inspector.js';

export interface TillerContextOptions {
  workspaceRoot: string;
  /** Where AGENTS.md and `.tiller/rules` are read from (a worktree task's base tree); defaults to workspaceRoot. */
  configRoot?: string;
  /** The model the coordinator uses, for its context window. */
  model: string;
  /** Per-model context windows (tokens), from settings; a known family or 128k otherwise. */
  contextWindows?: Record<string, number>;
  replyReserveTokens?: number;
  repo?: RepoContext;
  mentions?: MentionSources;
  /** The small model, through the task's model client; without it compaction falls back to a plain list. */
  summarize?: Summarize;
  /** Where the task record is appended (JSONL); in memory only when omitted. */
  recordPath?: string;
  memory?: SessionMemory;
  compaction?: Partial<Omit<CompactionSettings, 'budgetTokens'>>;
  /** Compaction and assembly events worth a line in the trace. */
  onNotice?: (agentId: string, step: number, message: string) => void;
  now?: () => number;
}

export interface TillerContext extends ContextHooks {
  /** The last prompt sent by an agent (the coordinator by default), for the context inspector. */
  lastPrompt(agentId?: string): ContextInspection | undefined;
  /** The task record, once the task has started. */
  readonly record: TaskRecord | undefined;
  /** Stores the session summary in memory at the end of the task. */
  finish(outcome: { status: string; summary: string }): void;
}

const MAIN = 'main';

interface AgentState {
  protectedCount: number;
  openingItems: ContextItem[];
  rulesText: string;
  dedup: ReadDedup;
  /** The step that produced each assistant message (for read references and retention). */
  steps: WeakMap<ChatMessage, number>;
  seen: WeakSet<ChatMessage>;
  inspection?: ContextInspection;
}

export function createTillerContext(options: TillerContextOptions): TillerContext {
  const budget = promptBudget(contextWindowFor(options.model, options.contextWindows), options.replyReserveTokens);
  const agents = new Map<string, AgentState>();
  const now = options.now ?? Date.now;
  let record: TaskRecord | undefined;
  let touched: string[] = [];

  const notice = (agentId: string, step: number, message: string) => options.onNotice?.(agentId, step, message);
  const renderRules = (rules: RuleFile[]) => rules.map((r) => `## ${r.path}\n${r.text.trim()}`).join('\n\n');

  async function openMain(input: OpeningInput & { mode: 'plan' | 'act' }): Promise<ChatMessage[]> {
    const mentions = parseMentions(input.task);
    touched = mentionedPaths(mentions);
    const loaded = loadRules(options.configRoot ?? options.workspaceRoot, touched);
    for (const p of loaded.problems) notice(input.agentId, 0, `rules: ${p}`);
    record = new TaskRecord(input.task, options.recordPath, now);
    const constraints = constraintsFrom(input.task);
    for (const c of constraints) record.addConstraint(c);
    for (const rule of loaded.rules) for (const c of constraintsFrom(rule.text).slice(0, 5)) record.addConstraint(`${c} (${rule.path})`);

    const notes: ContextItem[] = [];
    const mentionParts: OpeningPart[] = [];
    if (mentions.length && options.mentions) {
      for (const r of await resolveMentions(mentions, options.mentions)) {
        if (r.content) mentionParts.push({ kind: 'mention', label: r.label, text: r.content.text, reason: r.content.reason });
        else notes.push({ kind: 'mention', label: r.label, tokens: 0, reason: `not attached: ${r.error}` });
      }
    } else if (mentions.length) {
      for (const m of mentions) notes.push({ kind: 'mention', label: JSON.stringify(m), tokens: 0, reason: 'not attached: this host resolves no mentions' });
    }

    const memoryParts: OpeningPart[] = [];
    try {
      const recalled = options.memory?.recall(input.task, 3) ?? [];
      // Said in the trace: memory makes a prompt depend on earlier sessions, which a replay must know about.
      if (recalled.length)
        notice(
          input.agentId,
          0,
          `memory: recalled ${recalled.length} earlier session(s): ${recalled.map((r) => JSON.stringify(r.task.split('\n')[0]!.slice(0, 80))).join(', ')}`,
        );
      if (recalled.length)
        memoryParts.push({
          kind: 'memory',
          label: `${recalled.length} earlier session(s)`,
          text: renderMemories(recalled),
          reason: 'earlier sessions in this workspace relevant to the task (BM25)',
        });
    } catch (err) {
      notice(input.agentId, 0, `memory could not be read: ${(err as Error).message}`);
    }

    const repoParts: OpeningPart[] = [];
    if (options.repo) {
      try {
        const slice = await options.repo.repoMap({ text: input.task }, Math.floor(budget * OPENING_SHARES.repo));
        if (slice.text.trim()) {
          const why = slice.files
            .slice(0, 5)
            .map((f) => `${f.path} (${f.reasons.slice(0, 2).join(', ')})`)
            .join('; ');
          repoParts.push({ kind: 'repo', label: `repo map: ${slice.files.length} files`, text: slice.text, reason: `ranked for the task: ${why}` });
        }
      } catch (err) {
        notes.push({ kind: 'repo', label: 'repo map', tokens: 0, reason: `not available: ${(err as Error).message}` });
      }
    }

    const opening = buildOpening({
      mode: input.mode,
      task: input.task,
      workspaceRoot: input.workspaceRoot,
      budgetTokens: budget,
      rules: loaded.rules.map((r) => ({ kind: 'rules', label: r.path, text: `## ${r.path}\n${r.text.trim()}`, reason: r.reason })),
      memory: memoryParts,
      repo: repoParts,
      mentions: mentionParts,
      notes,
      constraints,
      ...(input.profile ? { profile: input.profile } : {}),
      ...(input.skills?.length ? { skills: input.skills } : {}),
      ...(input.command ? { command: input.command } : {}),
    });
    agents.set(input.agentId, newState(opening.messages.length, opening.items, renderRules(loaded.rules)));
    return opening.messages;
  }

  function newState(protectedCount: number, openingItems: ContextItem[], rulesText: string): AgentState {
    return { protectedCount, openingItems, rulesText, dedup: new ReadDedup(), steps: new WeakMap(), seen: new WeakSet() };
  }

  /**
   * A resumed session starts from its logged history, not from initialMessages: the opening (system and first user
   * message) is protected as usual, and a record is started from the task text so compaction can still put it back.
   */
  function adopt(agentId: string, messages: ChatMessage[]): AgentState | undefined {
    const first = messages.findIndex((m) => m.role === 'user');
    if (agentId !== MAIN || first < 0) return undefined;
    const state = newState(first + 1, [], renderRules(loadRules(options.configRoot ?? options.workspaceRoot, []).rules));
    agents.set(agentId, state);
    if (!record) record = new TaskRecord(messages[first]!.content ?? '', options.recordPath, now);
    return state;
  }

  /** Feeds the record from messages it has not seen: the agent's notes and an approved plan. */
  function learn(state: AgentState, agentId: string, step: number, messages: ChatMessage[]): void {
    for (const m of messages) {
      if (state.seen.has(m)) continue;
      state.seen.add(m);
      if (m.role === 'assistant') state.steps.set(m, step - 1);
      if (agentId !== MAIN || !record) continue;
      if (m.role === 'assistant' && m.content) {
        for (const n of notesFrom(m.content)) record.addDecision(n);
        for (const n of doneStepsFrom(m.content)) record.completeTodo(n);
      }
      if (hasOrigin(m, 'plan-approved')) {
        const plan = m.content.split('Approved plan:\n')[1] ?? '';
        const steps = planSteps(plan);
        if (steps.length) record.setTodos(steps);
      }
    }
  }

  /** After compaction: drop the previous record message, put the current one (and any changed rules) at the end. */
  function reinject(state: AgentState, agentId: string, step: number, messages: ChatMessage[]): ChatMessage[] {
    const kept = messages.filter((m) => !hasOrigin(m, 'task-record'));
    if (agentId !== MAIN || !record) return kept;
    const rules = loadRules(options.configRoot ?? options.workspaceRoot, [...touched, ...record.snapshot.filesTouched]);
    const rulesText = renderRules(rules.rules);
    let rulesNote = '';
    if (rulesText !== state.rulesText) {
      rulesNote = `\n\n[Project rules, re-read after compaction; they changed since the task started]\n${rulesText || '(no rule files now)'}`;
      notice(agentId, step, 'rules changed during the task; the new rules were added after compaction');
    }
    return [...kept, { role: 'user', content: `${record.render()}${rulesNote}\n\nContinue the task from where you are.`, origin: 'task-record' }];
  }

  function inspect(state: AgentState, messages: ChatMessage[]): ContextInspection {
    const history = messages.slice(state.protectedCount);
    const items: ContextItem[] = [...state.openingItems];
    const summaries: ChatMessage[] = history.filter((m) => hasOrigin(m, 'summary'));
    const recordMsgs: ChatMessage[] = history.filter((m) => hasOrigin(m, 'task-record'));
    const stubs = history.filter(isElided);
    const skills = history.filter((m): m is Extract<ChatMessage, { role: 'user' }> => hasOrigin(m, 'skill'));
    const skillSet = new Set<ChatMessage>(skills);
    const rest = history.filter((m) => !summaries.includes(m) && !recordMsgs.includes(m) && !stubs.includes(m) && !skillSet.has(m));
    for (const m of skills) {
      const label = m.content.startsWith(SKILL_MESSAGE_PREFIX) ? m.content.slice(SKILL_MESSAGE_PREFIX.length, m.content.indexOf(']')) : 'a skill';
      items.push({ kind: 'skill', label, tokens: estimateMessagesTokens([m]), reason: 'loaded by the model with load_skill' });
    }
    if (summaries.length)
      items.push({
        kind: 'summary',
        label: 'summary of earlier steps',
        tokens: estimateMessagesTokens(summaries),
        reason: 'older turns compacted by the small model',
      });
    if (recordMsgs.length)
      items.push({ kind: 'task_record', label: 'task record', tokens: estimateMessagesTokens(recordMsgs), reason: 're-injected after compaction' });
    if (stubs.length)
      items.push({ kind: 'elided', label: `${stubs.length} elided tool outputs`, tokens: estimateMessagesTokens(stubs), reason: 'old observations masked' });
    if (rest.length)
      items.push({ kind: 'conversation', label: `${rest.length} messages`, tokens: estimateMessagesTokens(rest), reason: 'the conversation so far' });
    return { items, totalTokens: estimateMessagesTokens(messages), budget };
  }

  function retain(state: AgentState, messages: ChatMessage[]): void {
    const visible: { step: number; text: string }[] = [];
    let step = 0;
    for (const m of messages) {
      if (m.role === 'assistant') step = state.steps.get(m) ?? step;
      else if (m.role === 'tool' && !isElided(m) && state.dedup.expand(m.content) === undefined) visible.push({ step, text: m.content });
    }
    state.dedup.retainVisible(visible);
  }

  return {
    get record() {
      return record;
    },
    async initialMessages(input) {
      if (input.agentId !== MAIN && input.profile) {
        // A delegated custom agent: its own short opening (no repo slice, no record), so its context stays bounded.
        const messages = await plainContext.initialMessages(input);
        agents.set(
          input.agentId,
          newState(
            messages.length,
            [
              {
                kind: 'agent',
                label: `delegated agent ${input.profile.name}`,
                tokens: estimateMessagesTokens(messages),
                reason: `a subagent task; instructions ${input.profile.origin === 'user' ? 'your own' : 'from the repository'}: ${input.profile.source}`,
              },
            ],
            '',
          ),
        );
        return messages;
      }
      if (input.mode === 'explorer') {
        const messages = await plainContext.initialMessages(input);
        agents.set(
          input.agentId,
          newState(
            messages.length,
            [{ kind: 'task', label: 'explorer question', tokens: estimateMessagesTokens(messages), reason: 'a subagent question' }],
            '',
          ),
        );
        return messages;
      }
      return openMain({ ...input, mode: input.mode });
    },
    async prepare(input) {
      const state = agents.get(input.agentId) ?? adopt(input.agentId, input.messages);
      if (!state) return input.messages;
      learn(state, input.agentId, input.step, input.messages);
      // The compactor's own trigger (compactor.ts): PreCompact hooks run only when it will act.
      if (input.beforeCompact && estimateMessagesTokens(input.messages) > budget * (options.compaction?.maskRatio ?? 0.25)) await input.beforeCompact();
      const result = await compact(
        {
          messages: input.messages,
          protectedCount: state.protectedCount,
          agentId: input.agentId,
          step: input.step,
          signal: input.signal,
          ...(options.summarize ? { summarize: options.summarize } : {}),
          expand: (t) => state.dedup.expand(t),
          ...(input.recordUsage ? { onUsage: input.recordUsage } : {}),
        },
        { budgetTokens: budget, ...options.compaction },
      );
      let messages = result.messages;
      if (result.actions.length) {
        messages = reinject(state, input.agentId, input.step, messages);
        const broken = checkPairing(messages.slice(state.protectedCount));
        if (broken) {
          // Never send a malformed conversation: keep the uncompacted one and say why.
          notice(input.agentId, input.step, `compaction skipped: it would have left ${broken}`);
          messages = input.messages;
        } else {
          const what = result.actions
            .map((a) =>
              a.kind === 'masked'
                ? `masked ${a.elided} old tool outputs`
                : `summarised ${a.messages} messages${a.byModel ? ' with the small model' : ` without a model${a.error ? ` (${a.error})` : ''}`}`,
            )
            .join(', ');
          notice(input.agentId, input.step, `compaction: ${what}; ${result.tokensBefore} -> ${estimateMessagesTokens(messages)} tokens (budget ${budget})`);
        }
        for (const m of messages) state.seen.add(m);
        retain(state, messages);
      }
      state.inspection = inspect(state, messages);
      return messages;
    },
    observe(input) {
      if (input.agentId === MAIN && record) recordObservation(record, input);
      const state = agents.get(input.agentId);
      if (!state || input.isError || input.tool !== READ_FILE_TOOL) return input.content;
      return state.dedup.observe(input.step, input.args, input.content);
    },
    lastPrompt(agentId = MAIN) {
      return agents.get(agentId)?.inspection;
    },
    finish(outcome) {
      if (!record || !options.memory) return;
      try {
        options.memory.append(summaryFromRecord(record.snapshot, outcome, now()));
      } catch (err) {
        notice(MAIN, 0, `memory could not be saved: ${(err as Error).message}`);
      }
    },
  };
}
