// Server-initiated model calls (`sampling/createMessage`). Nothing reaches the model without the user's approval,
// the server cannot pick Tiller's model or raise the token cap beyond the host's limit, and the text the user
// approves is exactly the text that is sent.
import type { CreateMessageRequestParams, CreateMessageResult } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Approver } from '../../ports.js';

export interface SampleRequest {
  /** The server asking; the caller charges the cost to the task as agent `mcp:<server>`. */
  server: string;
  messages: { role: 'user' | 'assistant'; text: string }[];
  systemPrompt?: string;
  maxTokens: number;
  temperature?: number;
  /** `small` unless the server's modelPreferences favour intelligence over cost and speed. */
  role: 'small' | 'main';
}

export interface SampleResult {
  text: string;
  model: string;
  stopReason?: 'endTurn' | 'stopSequence' | 'maxTokens';
}

export type SampleFn = (request: SampleRequest, signal?: AbortSignal) => Promise<SampleResult>;

export interface SamplingOptions {
  approver: Approver;
  sample: SampleFn;
  /** Upper bound on maxTokens whatever the server asks. Default 4096. */
  maxTokensCap?: number;
}

/** The spec's code for "the user rejected the request". */
export const USER_REJECTED = -1;

function textOf(content: unknown): string {
  const items = Array.isArray(content) ? content : [content];
  return items
    .map((item) => {
      const c = item as { type?: string; text?: unknown; mimeType?: unknown };
      if (c.type === 'text') return String(c.text ?? '');
      return `[${String(c.type ?? 'unknown')} content${typeof c.mimeType === 'string' ? `: ${c.mimeType}` : ''}]`;
    })
    .join('\n');
}

export function chooseRole(preferences: CreateMessageRequestParams['modelPreferences']): 'small' | 'main' {
  const intelligence = preferences?.intelligencePriority ?? 0;
  const cheapest = Math.max(preferences?.costPriority ?? 0, preferences?.speedPriority ?? 0);
  return intelligence > 0.5 && intelligence > cheapest ? 'main' : 'small';
}

export function toSampleRequest(server: string, params: CreateMessageRequestParams, cap: number): SampleRequest {
  if (params.tools !== undefined || params.toolChoice !== undefined) {
    throw new McpError(ErrorCode.InvalidParams, 'sampling with tools is not supported by this client');
  }
  return {
    server,
    messages: params.messages.map((m) => ({ role: m.role, text: textOf(m.content) })),
    ...(params.systemPrompt !== undefined ? { systemPrompt: params.systemPrompt } : {}),
    maxTokens: Math.max(1, Math.min(cap, params.maxTokens)),
    ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
    role: chooseRole(params.modelPreferences),
  };
}

export async function handleSampling(
  options: SamplingOptions,
  server: string,
  params: CreateMessageRequestParams,
  signal?: AbortSignal,
): Promise<CreateMessageResult> {
  const request = toSampleRequest(server, params, options.maxTokensCap ?? 4096);
  const decision = await options.approver.approve(
    {
      kind: 'sampling',
      server,
      messages: request.messages,
      ...(request.systemPrompt !== undefined ? { systemPrompt: request.systemPrompt } : {}),
      maxTokens: request.maxTokens,
    },
    signal,
  );
  if (!decision.approved) throw new McpError(USER_REJECTED, 'the user declined the sampling request');
  const result = await options.sample(request, signal);
  return {
    role: 'assistant',
    content: { type: 'text', text: result.text },
    model: result.model,
    ...(result.stopReason !== undefined ? { stopReason: result.stopReason } : {}),
  };
}
