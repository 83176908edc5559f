// The `model_call` trace event, built the same way for every call the harness makes: the agent's steps, compaction
// summaries and MCP sampling. Tokens and cost are the provider's figures as the model client reported them.
import type { ModelResponse, ModelRole } from '../model/types.js';
import type { RecordedRequest, TraceEventBody } from './events.js';

export interface ModelCallInfo {
  step: number;
  role: ModelRole;
  purpose: string;
  /** Fingerprint of the request, for replay (trace/replay/hash.ts). */
  requestHash?: string;
  /** The full request, only when the user opted in to recording prompts. */
  request?: RecordedRequest;
  /** Record the reply so replay can serve it; off for calls replay cannot re-make (MCP sampling). Default on. */
  recordReply?: boolean;
}

export function modelCallEvent(response: ModelResponse, info: ModelCallInfo): Extract<TraceEventBody, { type: 'model_call' }> {
  return {
    type: 'model_call',
    step: info.step,
    role: info.role,
    purpose: info.purpose,
    model: response.model,
    usage: response.usage,
    costUsd: response.costUsd,
    latencyMs: Math.round(response.latencyMs),
    attempts: response.attempts,
    usedFallback: response.usedFallback,
    finishReason: response.finishReason,
    toolCalls: response.toolCalls.map((c) => c.name),
    ...(info.requestHash !== undefined ? { requestHash: info.requestHash } : {}),
    ...(info.recordReply === false
      ? {}
      : {
          reply: {
            text: response.text,
            toolCalls: response.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
            finishReason: response.finishReason,
          },
        }),
    ...(info.request ? { request: info.request } : {}),
  };
}
