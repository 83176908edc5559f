// The agent's public surface, shared by the CLI and the VS Code adapter.
import type { AskConsent } from '../storage/consent-store.js';
import type { ImageAttachment, ModelConfig } from '../model/types.js';
import type { Approver, EditApplier, Logger } from '../ports.js';
import type { ServerSpec } from '../tools/types.js';
import type { TaskErrorKind } from './error-kinds.js';
import type { CheckRunEvent } from '../checks/run-check.js';
import type { CheckSpec } from '../checks/config.js';

export type AgentMode = 'plan' | 'act';

export interface Budgets {
  /** Model turns of the coordinator (subagents have their own). Default 50. */
  maxSteps: number;
  /** Prompt + completion tokens over the whole task, subagents included. */
  maxTokens?: number;
  /** USD over the whole task, subagents included; checked before each call with an estimate. */
  maxCostUsd?: number;
  /** USD per local day across every Tiller session and process on this machine. */
  maxDailyCostUsd?: number;
  /** Wall-clock ms for the whole task. */
  maxTimeMs?: number;
}

export type TaskStatus =
  | 'done' // the model finished and said so
  | 'failed' // an unrecoverable error (model down, bad config discovered late, ...)
  | 'budget_exhausted' // steps, tokens, cost or time ran out; `summary` says where the task stands
  | 'denied' // stopped because an approval the task needed was denied
  | 'cancelled';

export interface TaskTotals {
  steps: number;
  modelCalls: number;
  promptTokens: number;
  completionTokens: number;
  cachedPromptTokens: number;
  costUsd: number;
  toolCalls: number;
  durationMs: number;
}

export interface TaskOutcome {
  status: TaskStatus;
  /** The model's final answer, or the harness's summary of where things stand when it stopped. */
  summary: string;
  /** In plan mode, the plan text. */
  plan?: string;
  /** Which budget ran out, for `budget_exhausted`. */
  exhausted?: 'steps' | 'tokens' | 'cost' | 'daily_cost' | 'time';
  error?: string;
  /** For `failed`: the model error kind (`auth`, `not_found`, `bad_response`, `config`, ...), `loop` or `internal`. */
  errorKind?: TaskErrorKind;
  totals: TaskTotals;
  filesChanged: string[];
  /** Where the conversation is persisted: pass it as `resume` to continue. */
  sessionPath?: string;
}

/** What a UI can show while a task runs. */
export type AgentEvent =
  | { type: 'step'; step: number }
  | { type: 'text'; delta: string }
  | { type: 'text_reset' } // a retried model call: discard text streamed for this step
  | { type: 'tool_call'; id: string; tool: string; args: unknown }
  | { type: 'tool_result'; id: string; tool: string; isError: boolean; preview: string }
  | { type: 'notice'; message: string }
  /** The approved plan's steps, ticked off as the agent reports them done. */
  | { type: 'plan_progress'; steps: { text: string; done: boolean }[] }
  /** The model asked the user (`ask_user`) and got this answer (null: nobody answered). */
  | { type: 'question'; question: string; answer: string | null }
  /** The task's mode changed: an approved plan is now being carried out in act mode. */
  | { type: 'mode'; mode: AgentMode }
  /** A configured check ran (or was not run: `reason`), after an applied change or before the task could end. */
  | CheckRunEvent
  | { type: 'outcome'; outcome: TaskOutcome };

export interface HarnessOptions {
  workspaceRoot: string;
  model: ModelConfig;
  approver: Approver;
  /** Defaults to atomic file writes under workspaceRoot. */
  editApplier?: EditApplier;
  /** JSONL trace path; defaults to `$TILLER_HOME/traces/<session>.jsonl` (TILLER_HOME defaults to ~/.tiller), so
   * traces never land in the user's repository unasked. */
  tracePath?: string;
  /** Record every model request in full in the trace (default: only its hash; `TILLER_TRACE_PROMPTS=1` also opts in). */
  tracePrompts?: boolean;
  /** User-level permission rules (settings); project rules are read from `.tiller/permissions.json`. */
  userRules?: { allow?: string[]; ask?: string[]; deny?: string[] };
  /** Directory holding the built MCP server bundles (`mcp-workspace.js`, `mcp-shell.js`). */
  distDir: string;
  /** A ripgrep binary for the workspace server's search (VS Code ships one); without it a JS scan is used. */
  ripgrepPath?: string;
  /**
   * MCP servers to host next to the built-ins, from `prepareMcpServers` (tools/config/prepare.ts): workspace servers
   * in this list must already have the user's consent. Their tool lists are pinned on approval.
   */
  mcp?: { servers: ServerSpec[] };
  log?: Logger;
  /**
   * Checkpoints before every applied change set and shell command, in a shadow git repository outside the workspace.
   * `true` keeps them under `$TILLER_HOME/checkpoints`; off when omitted.
   */
  checkpoints?: boolean | { storeDir: string };
  /**
   * Consent to what the repository asks to be trusted with beyond MCP servers (today the allow rules of
   * `.tiller/permissions.json`): `ask` shows the one consent prompt; without it unconsented allows stay out of force.
   * `remember: false` agrees for this session only (the CLI's `--trust-workspace-config`).
   */
  workspaceConsent?: { ask?: AskConsent; remember?: boolean };
  /**
   * How the shell server contains commands (core/sandbox): `auto` (the default) sandboxes whenever the machine can,
   * `required` refuses to run a command unsandboxed (what `sandboxed` approvals rely on). `allowPaths` extends the
   * toolchain paths a command may use outside the workspace (tiller.sandbox.allowPaths, TILLER_SANDBOX_ALLOW_PATHS).
   */
  sandbox?: { mode?: 'auto' | 'required' | 'off'; allowPaths?: string[]; gitDirs?: string[]; readPaths?: string[] };
  /**
   * The user's own checks (`--check`, `tiller.checks`): run without asking, a deny rule still binds. The project's
   * `.tiller/checks.json` is read by the harness itself and its checks ask like any project command.
   */
  checks?: CheckSpec[];
  /**
   * Where the project's configuration (rules, permissions, hooks, checks, MCP servers) is read from, when it is not
   * the workspace: a worktree task works in its worktree but obeys the base tree's `.tiller/`, never a copy the task
   * itself could rewrite. Defaults to workspaceRoot.
   */
  configRoot?: string;
}

export interface RunOptions {
  mode?: AgentMode;
  budgets?: Partial<Budgets>;
  signal?: AbortSignal;
  onEvent?: (event: AgentEvent) => void;
  /** Path of a session log to continue (`TaskOutcome.sessionPath` of an interrupted run); the task text is then ignored. */
  resume?: string;
  /** Where to persist a new session's conversation; defaults to `$TILLER_HOME/sessions/<id>.jsonl`. */
  sessionPath?: string;
  /** Run as this custom agent (a name from `.claude/agents/`, `.github/agents/`, ...: `tiller run --agent`, the mode picker). */
  agent?: string;
  /** Values for a slash command's `${input:name}` variables (`--input name=value`). */
  inputs?: Record<string, string>;
  /** Asks the person for an `${input:name}` value not given in `inputs` (VS Code's input box); undefined: not answered. */
  askInput?: (input: { name: string; placeholder?: string; command: string }, signal?: AbortSignal) => Promise<string | undefined>;
  /** Images attached to the task message, already checked and stored (model/image-store.ts). */
  images?: ImageAttachment[];
}
