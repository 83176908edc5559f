// Trace events: one JSON object per line, appended as they happen. A trace is the record of what the harness did
// and why; the summary (`tiller trace show`) and, later, replay read it back.
import type { ChatMessage, ModelErrorKind, ToolDefinition, Usage } from '../model/types.js';
import type { Decision, PolicyAction, RuleSource } from '../policy/types.js';

/** What became of one hunk of a proposed change once the user answered (computed in edits/review-outcome.ts). */
export type HunkOutcome = 'accepted' | 'rejected';

export interface FileHunkOutcomes {
  path: string;
  /** One entry per hunk of the proposed diff (one for a file reviewed whole). */
  hunks: HunkOutcome[];
}

/** The schema version, stamped on every `session_start` by the writer. 2: model replies, request and result hashes
 * and user answers are recorded, so a trace can be replayed. Events only gain fields; none is removed or renamed. */
export const TRACE_VERSION = 2;

/** What the model answered on one call, as the loop received it: enough to serve the same reply again. */
export interface RecordedReply {
  text: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: string;
}

/** The request as sent, only when the user opted in (`--trace-prompts`): prompts may hold code nobody wants in a file. */
export interface RecordedRequest {
  messages: ChatMessage[];
  tools: ToolDefinition[];
}

interface Base {
  /** Epoch milliseconds. */
  t: number;
  /** Position in the file, from 0. A gap means lines were lost. */
  seq: number;
  session: string;
  /** The agent that produced the event: `main`, or a subagent's id. */
  agent: string;
}

export type TraceEventBody =
  | {
      type: 'session_start';
      task: string;
      mode: string;
      model: string;
      smallModel: string;
      workspace: string;
      budgets: Record<string, unknown>;
      /** Absent in traces written before version 2. */
      traceVersion?: number;
    }
  | {
      type: 'model_call';
      step: number;
      role: 'large' | 'small';
      purpose: string;
      model: string;
      usage: Usage;
      costUsd: number;
      latencyMs: number;
      attempts: number;
      usedFallback: boolean;
      finishReason: string;
      toolCalls: string[];
      /** sha256 of the canonical request (messages and tools, volatile values normalised): see trace/replay/hash.ts. */
      requestHash?: string;
      reply?: RecordedReply;
      request?: RecordedRequest;
    }
  | { type: 'model_error'; step: number; kind: ModelErrorKind; message: string }
  | { type: 'tool_call'; step: number; callId: string; tool: string; args: unknown }
  | { type: 'tool_result'; step: number; callId: string; tool: string; isError: boolean; durationMs: number; chars: number; cached?: boolean; hash?: string }
  | { type: 'policy'; step: number; callId: string; action: PolicyAction; decision: Decision; rule: string; source: RuleSource; reason: string }
  | {
      type: 'approval';
      step: number;
      callId: string;
      kind: string;
      approved: boolean;
      reason?: string;
      /** For an edit: what became of each hunk of each proposed file (a partial approval accepts only some). */
      hunks?: FileHunkOutcomes[];
      /** How long the user took to answer: kept out of the tool's own duration. */
      waitMs?: number;
    }
  | { type: 'edit'; step: number; callId: string; changeSet: string; files: string[]; applied: boolean; error?: string }
  | { type: 'checkpoint'; step: number; callId: string; id: string; kind: 'edit' | 'shell' }
  | { type: 'subagent'; step: number; callId: string; id: string; status: string; costUsd: number; promptTokens: number; completionTokens: number }
  | { type: 'notice'; step: number; message: string }
  /** A configured MCP server's new or changed tools were put to the user; only approved ones reach the model. */
  | { type: 'mcp_tools'; server: string; tools: string[]; changed: boolean; flagged: number; approved: boolean }
  /** The model asked the user (`ask_user`); `answer` null when nobody answered. Replay serves the same answers. */
  | { type: 'question'; step: number; question: string; answer: string | null }
  | { type: 'error'; step: number; message: string }
  /**
   * A configured check ran (or was not run: `reason`) after an applied change (`after: 'edit'`) or before the task
   * could end as done (`'done'`). `output` is redacted and capped (its middle cut: `truncated`).
   */
  | {
      type: 'check';
      step: number;
      name: string;
      command: string;
      after: 'edit' | 'done';
      source: 'user' | 'project';
      status: 'passed' | 'failed' | 'timed_out' | 'not_found' | 'not_run' | 'cancelled';
      passed: boolean;
      exitCode: number | null;
      timedOut: boolean;
      durationMs: number;
      output: string;
      outputBytes: number;
      truncated: boolean;
      sandboxed: boolean;
      reason?: string;
    }
  /**
   * One lifecycle hook ran (agent/hooks/runtime.ts). `decision`: block (exit 2 or `decision: "block"`), allow/ask/deny
   * (its permission decision), none, or error (timed out, crashed, another exit: it decided nothing). `output` is capped
   * and redacted.
   */
  | {
      type: 'hook';
      step: number;
      event: string;
      matcher: string;
      command: string;
      source: string;
      exitCode: number | null;
      timedOut: boolean;
      durationMs: number;
      decision: 'block' | 'allow' | 'ask' | 'deny' | 'none' | 'error';
      sandboxed: boolean;
      output?: string;
    }
  | {
      type: 'session_end';
      status: string;
      summary: string;
      steps: number;
      promptTokens: number;
      completionTokens: number;
      costUsd: number;
      durationMs: number;
    };

export type TraceEvent = Base & TraceEventBody;

export interface TraceSink {
  readonly path: string | undefined;
  readonly session: string;
  /** Record each model request in full (opt-in); otherwise only its hash. */
  readonly recordPrompts?: boolean;
  emit(agent: string, body: TraceEventBody): void;
  close(): void;
}
