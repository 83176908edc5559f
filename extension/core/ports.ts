// What the core needs from its host. The VS Code extension and the CLI each implement these; tests use small
// fakes. Nothing here may mention `vscode`.
import type { ChangeSet, ApplyResult } from './edits/types.js';
import type { PolicyDecision } from './policy/types.js';

export type ApprovalRequest =
  | { kind: 'tool'; tool: string; args: unknown; policy: PolicyDecision }
  | { kind: 'shell'; command: string; cwd: string; policy: PolicyDecision }
  | { kind: 'edit'; changeSet: ChangeSet; policy: PolicyDecision }
  | { kind: 'plan'; plan: string };

export type ApprovalDecision =
  | { approved: true; scope?: 'once' | 'always' }
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

export interface Clock {
  /** Milliseconds, monotonic enough for budgets. */
  now(): number;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const systemClock: Clock = { now: () => performance.timeOrigin + performance.now() };

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
