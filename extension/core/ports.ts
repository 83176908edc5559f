// What the core needs from its host. The VS Code extension and the CLI each implement these; tests use small
// fakes. Nothing here may mention `vscode`.
import type { ChangeSet, ApplyResult } from './edits/types.js';
import type { PolicyDecision } from './policy/types.js';
import type { DescriptionFinding } from './tools/descriptions.js';

export type ApprovalRequest =
  | { kind: 'tool'; tool: string; args: unknown; policy: PolicyDecision }
  /**
   * `escalation`: the command asks for more than the sandbox gives (hosts, writable paths) for this run. Only a person
   * answers it: every automatic approval mode declines.
   */
  | { kind: 'shell'; command: string; cwd: string; policy: PolicyDecision; escalation?: ShellEscalation; sandbox?: SandboxSummary }
  | { kind: 'edit'; changeSet: ChangeSet; policy: PolicyDecision }
  | { kind: 'plan'; plan: string }
  /** The step budget ran out: go on for `extraSteps` more? Never answered yes without a person. */
  | { kind: 'continue'; reason: string; summary: string; extraSteps: number }
  /** An MCP server asks Tiller's model for a completion (`sampling/createMessage`). */
  | { kind: 'sampling'; server: string; messages: { role: string; text: string }[]; systemPrompt?: string; maxTokens: number }
  /**
   * Approve an MCP server's tool list (first connect, or tools changed since the last approval). Descriptions are the
   * exact text the model will see; `flags` point into them (hidden characters, instruction-like text).
   */
  | { kind: 'mcp_tools'; server: string; tools: McpToolForApproval[]; changed: boolean };

/** What a sandboxed command may touch, for the approval card (core/sandbox/profile.ts summariseProfile). */
export interface SandboxSummary {
  mechanism: string;
  writable: string[];
  readOnly: string[];
  hidden: string[];
  network: string;
}

export interface ShellEscalation {
  reason: string;
  network: string[];
  write: string[];
}

export interface McpToolForApproval {
  name: string;
  description: string;
  flags: DescriptionFinding[];
  /** Findings in the input schema's parameter descriptions and titles, which the model reads too. */
  schemaFlags?: { path: string; text: string; flags: DescriptionFinding[] }[];
  /** `changed`: approved before with another description or schema (`previousDescription`); `new`: never approved. */
  status?: 'new' | 'changed';
  previousDescription?: string;
}

export type ApprovalDecision =
  | {
      approved: true;
      scope?: 'once' | 'always';
      /**
       * For an edit: the part the user accepted, when it is not all of it (per-file or per-hunk review). It may only
       * touch files of the proposed change set; what was left out is described in `rejected` for the model.
       */
      changeSet?: ChangeSet;
      rejected?: { path: string; hunk?: number; reason?: string }[];
      /** For a plan: the plan as the user edited it before approving; it replaces the model's text. */
      plan?: string;
    }
  | { approved: false; reason?: string };

export interface Approver {
  approve(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalDecision>;
  /** A clarifying question from the model. Resolves to the user's answer, or undefined when nobody can answer. */
  askUser(question: string, signal?: AbortSignal): Promise<string | undefined>;
}

/** Applies an approved change set all-or-nothing. The CLI writes files atomically; VS Code uses a WorkspaceEdit. */
export interface EditApplier {
  apply(changeSet: ChangeSet): Promise<ApplyResult>;
}

/** Takes a snapshot before the agent changes the workspace, so the user can restore it. */
export interface Checkpointer {
  /** Returns the checkpoint's id, or undefined when nothing needed saving. Throwing stops the change. */
  beforeChange(change: { kind: 'edit'; files: string[] } | { kind: 'shell'; command: string }): Promise<string | undefined>;
}

/**
 * What the harness learns about a change set after it is applied, told to the model before its next step: the
 * diagnostics it introduced (VS Code's language servers) or the digest of a project check (checks.json, --check).
 * Each observer returns at most one observation per call; `undefined` when it has nothing to say.
 */
export interface ChangeObservation {
  /** Which observer spoke: `diagnostics`, or `check:<name>`. */
  source: string;
  /** What the model is told: compact, already within the observer's token cap. */
  text: string;
  /** True when what was observed is a problem the model should fix (a new error, a failing check). */
  problem: boolean;
}

export interface ChangeObserver {
  /** Called once after a step whose tool calls changed files (workspace-relative paths, deduplicated). */
  afterChanges(files: readonly string[], signal: AbortSignal): Promise<ChangeObservation | undefined>;
}

/** What the `done` checks came to: the names of those that ran and did not pass, and the digest for the model. */
export interface DoneChecksVerdict {
  failing: string[];
  text: string;
}

/**
 * The checks a task must pass before it may end as done (`after: done` in checks.json, every `--check`). The loop's
 * done-gate (agent/done-gate.ts) runs them when the model answers without a tool call, and at the step limit.
 */
export interface DoneChecks {
  run(signal: AbortSignal): Promise<DoneChecksVerdict>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** A form an MCP server asks the user to fill in (`elicitation/create`). `requestedSchema` is a flat JSON object schema. */
export interface ElicitationRequest {
  server: string;
  message: string;
  requestedSchema: Record<string, unknown>;
}

export interface ElicitationAnswer {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, string | number | boolean | string[]>;
}

export interface Elicitor {
  elicit(request: ElicitationRequest, signal?: AbortSignal): Promise<ElicitationAnswer>;
}

/** Secrets (OAuth tokens) kept outside settings and traces: VS Code SecretStorage, or a 0600 file for the CLI. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Opens a URL in the user's browser (an OAuth authorization page). */
export type ExternalOpener = (url: string) => Promise<void>;
