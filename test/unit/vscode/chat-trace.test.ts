import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promptSizes, traceSteps } from '../../../extension/vscode/chat-trace.js';
import type { TraceEvent } from '../../../extension/core/trace/events.js';

const base = { t: 0, seq: 0, session: 's', agent: 'main' };
const call = (step: number, prompt: number): TraceEvent =>
  ({ ...base, type: 'model_call', step, role: 'large', purpose: 'step', model: 'm', usage: { promptTokens: prompt, completionTokens: 10 }, costUsd: 0.01, latencyMs: 100, attempts: 1, usedFallback: false, finishReason: 'stop', toolCalls: [] }) as unknown as TraceEvent;

test('one row per model call, with each tool call, its policy decision and result', () => {
  const events = [
    call(1, 500),
    { ...base, type: 'tool_call', step: 1, callId: 'c1', tool: 'shell.run', args: {} },
    { ...base, type: 'policy', step: 1, callId: 'c1', action: { kind: 'shell', command: 'ls' }, decision: 'allow', rule: 'allow shell(ls)', source: 'user', reason: 'r' },
    { ...base, type: 'tool_result', step: 1, callId: 'c1', tool: 'shell.run', isError: false, durationMs: 12, chars: 3 },
    { ...base, type: 'tool_call', step: 1, callId: 'c2', tool: 'shell.run', args: {} },
    { ...base, type: 'approval', step: 1, callId: 'c2', kind: 'shell', approved: false, reason: 'no' },
    call(2, 800),
  ] as TraceEvent[];
  const rows = traceSteps(events);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0]!.tools, ['shell.run: allow (allow shell(ls)), ok in 12 ms', 'shell.run: denied by the user (no)']);
  assert.equal(rows[1]!.promptTokens, 800);
  assert.deepEqual(promptSizes(rows).map((r) => r.tokens), [500, 800]);
});
