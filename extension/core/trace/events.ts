// Trace events: one JSON object per line, appended as they happen. A trace is the record of what the harness did
// and why; the summary (`tiller trace show`) and, later, replay read it back.
import type { Usage } from '../model/types.js';
import type { Decision, PolicyAction, RuleSource } from '../policy/types.js';

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
  | { type: 'session_start'; task: string; mode: string; model: string; smallModel: string; workspace: string; budgets: Record<string, unknown> }
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
    }
  | { type: 'model_error'; step: number; kind: string; message: string }
  | { type: 'tool_call'; step: number; callId: string; tool: string; args: unknown }
  | { type: 'tool_result'; step: number; callId: string; tool: string; isError: boolean; durationMs: number; chars: number; cached?: boolean }
  | { type: 'policy'; step: number; callId: string; action: PolicyAction; decision: Decision; rule: string; source: RuleSource; reason: string }
  | { type: 'approval'; step: number; callId: string; kind: string; approved: boolean; reason?: string }
  | { type: 'edit'; step: number; callId: string; changeSet: string; files: string[]; applied: boolean; error?: string }
  | { type: 'checkpoint'; step: number; callId: string; id: string; kind: 'edit' | 'shell' }
  | { type: 'subagent'; step: number; callId: string; id: string; status: string; costUsd: number; promptTokens: number; completionTokens: number }
  | { type: 'notice'; step: number; message: string }
  | { type: 'error'; step: number; message: string }
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
  emit(agent: string, body: TraceEventBody): void;
  close(): void;
}
