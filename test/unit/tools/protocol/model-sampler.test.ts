// Sampling through Tiller's model: role choice, the request sent, the trace record under mcp:<server>, the cost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModelSampler } from '../../../../extension/core/tools/protocol/model-sampler.js';
import type { ModelClient, ModelRequest } from '../../../../extension/core/model/types.js';
import type { TraceEventBody, TraceSink } from '../../../../extension/core/trace/events.js';

test('a sample goes to the chosen role, is traced as purpose sampling under mcp:<server>, and its cost is reported', async () => {
  const requests: ModelRequest[] = [];
  const model: ModelClient = {
    complete: async (request) => {
      requests.push(request);
      return {
        text: 'answer',
        toolCalls: [],
        finishReason: 'length',
        usage: { promptTokens: 10, completionTokens: 5, cachedPromptTokens: 0, estimated: false },
        costUsd: 0.002,
        model: 'small-model',
        latencyMs: 12.4,
        attempts: 1,
        usedFallback: false,
        toolProtocol: 'native',
      };
    },
    modelFor: () => 'small-model',
    estimateCost: () => 0,
  };
  const events: { agent: string; body: TraceEventBody }[] = [];
  const trace: TraceSink = { path: undefined, session: 's', emit: (agent, body) => void events.push({ agent, body }), close: () => undefined };
  const costs: number[] = [];
  const sample = createModelSampler({ model, trace, onCost: (c) => costs.push(c) });
  const result = await sample({ server: 'docs', role: 'small', maxTokens: 20, systemPrompt: 'be brief', messages: [{ role: 'user', text: 'hi' }] });
  assert.deepEqual(result, { text: 'answer', model: 'small-model', stopReason: 'maxTokens' });
  assert.equal(requests[0]?.role, 'small');
  assert.equal(requests[0]?.maxTokens, 20);
  assert.equal(requests[0]?.tools, undefined);
  assert.deepEqual(requests[0]?.messages, [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }]);
  assert.deepEqual(costs, [0.002]);
  assert.equal(events[0]?.agent, 'mcp:docs');
  assert.equal(events[0]?.body.type, 'model_call');
  assert.equal((events[0]?.body as { purpose?: string }).purpose, 'sampling');
});
