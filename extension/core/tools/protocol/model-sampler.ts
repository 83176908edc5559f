// Serves approved `sampling/createMessage` requests with Tiller's own model: the small role unless the server's
// preferences ask for intelligence, no tools, the server's text as plain user/assistant turns. Each call is recorded
// in the trace as a model_call with purpose `sampling` under the agent `mcp:<server>`, and its cost is reported to
// the caller (the spend ledger), since a server's requests are paid for like the agent's own.
import type { ModelClient } from '../../model/types.js';
import type { TraceSink } from '../../trace/events.js';
import type { SampleFn } from './sampling.js';
import type { Usage } from '../../model/types.js';
import { modelCallEvent } from '../../trace/model-call.js';

export interface ModelSamplerDeps {
  model: ModelClient;
  trace?: Pick<TraceSink, 'emit'>;
  onCost?: (costUsd: number, usage: Usage) => void;
}

export function createModelSampler(deps: ModelSamplerDeps): SampleFn {
  return async (request, signal) => {
    const role = request.role === 'main' ? 'large' : 'small';
    const response = await deps.model.complete({
      role,
      messages: [
        ...(request.systemPrompt !== undefined ? [{ role: 'system' as const, content: request.systemPrompt }] : []),
        ...request.messages.map((m) => ({ role: m.role, content: m.text })),
      ],
      maxTokens: request.maxTokens,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(signal !== undefined ? { signal } : {}),
      purpose: 'sampling',
    });
    deps.onCost?.(response.costUsd, response.usage);
    // No reply recorded: replay declines sampling, so a recorded one could never be served in its place.
    deps.trace?.emit(`mcp:${request.server}`, modelCallEvent(response, { step: 0, role, purpose: 'sampling', recordReply: false }));
    return {
      text: response.text,
      model: response.model,
      stopReason: response.finishReason === 'length' ? 'maxTokens' : 'endTurn',
    };
  };
}
