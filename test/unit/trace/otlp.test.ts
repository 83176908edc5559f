import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceEvent, TraceEventBody } from '../../../extension/core/trace/events.js';
import { traceToOtlp, type OtlpSpan } from '../../../extension/core/trace/otlp.js';

let seq = 0;
const ev = (agent: string, t: number, body: TraceEventBody): TraceEvent => ({ t, seq: seq++, session: 'sess-1', agent, ...body }) as TraceEvent;
const usage = { promptTokens: 120, completionTokens: 30, cachedPromptTokens: 20, estimated: false };

const events: TraceEvent[] = [
  ev('main', 1_700_000_000_000, { type: 'session_start', task: 'secret task text', mode: 'act', model: 'gpt-x', smallModel: 'gpt-x', workspace: '/w', budgets: {}, traceVersion: 2 }),
  ev('main', 1_700_000_000_500, {
    type: 'model_call', step: 1, role: 'large', purpose: 'step', model: 'gpt-x', usage, costUsd: 0.001, latencyMs: 400, attempts: 1, usedFallback: false,
    finishReason: 'tool_calls', toolCalls: ['workspace__read_file'], requestHash: 'a'.repeat(64),
    reply: { text: 'reading', toolCalls: [{ id: 'c1', name: 'workspace__read_file', arguments: '{"path":"a.ts"}' }], finishReason: 'tool_calls' },
    request: { messages: [{ role: 'user', content: 'PROMPT-BODY' }], tools: [] },
  }),
  ev('main', 1_700_000_000_510, { type: 'tool_call', step: 1, callId: 'c1', tool: 'workspace.read_file', args: { path: 'a.ts' } }),
  ev('main', 1_700_000_000_511, { type: 'policy', step: 1, callId: 'c1', action: { kind: 'read', path: 'a.ts' }, decision: 'allow', rule: 'default', source: 'default', reason: 'reads are allowed' }),
  ev('main', 1_700_000_000_530, { type: 'tool_result', step: 1, callId: 'c1', tool: 'workspace.read_file', isError: false, durationMs: 20, chars: 10, hash: 'b'.repeat(64) }),
  ev('main', 1_700_000_001_000, { type: 'session_end', status: 'done', summary: 'ok', steps: 1, promptTokens: 120, completionTokens: 30, costUsd: 0.001, durationMs: 1000 }),
];

const attrs = (s: OtlpSpan) => Object.fromEntries(s.attributes.map((a) => [a.key, a.value]));

test('OTLP/JSON shape: resourceSpans > scopeSpans > spans, hex ids, nanosecond times, children of the session span', () => {
  const out = traceToOtlp(events);
  assert.equal(out.resourceSpans.length, 1);
  const rs = out.resourceSpans[0]!;
  assert.deepEqual(rs.resource.attributes.find((a) => a.key === 'service.name')?.value, { stringValue: 'tiller' });
  const spans = rs.scopeSpans[0]!.spans;
  assert.equal(spans.length, 3);
  const [root, chat, tool] = spans as [OtlpSpan, OtlpSpan, OtlpSpan];
  for (const s of spans) {
    assert.match(s.traceId, /^[0-9a-f]{32}$/);
    assert.match(s.spanId, /^[0-9a-f]{16}$/);
    assert.equal(s.traceId, root.traceId);
    assert.match(s.startTimeUnixNano, /^\d+$/);
    assert.ok(BigInt(s.startTimeUnixNano) <= BigInt(s.endTimeUnixNano));
    for (const a of s.attributes) assert.equal(Object.keys(a.value).length, 1);
  }
  assert.equal(new Set(spans.map((s) => s.spanId)).size, 3);
  assert.equal(root.parentSpanId, undefined);
  assert.equal(chat.parentSpanId, root.spanId);
  assert.equal(tool.parentSpanId, root.spanId);
  assert.equal(root.startTimeUnixNano, '1700000000000000000');
  assert.equal(root.endTimeUnixNano, '1700000001000000000');
  assert.equal(chat.startTimeUnixNano, '1700000000100000000');
  assert.equal(root.status.code, 1);

  const c = attrs(chat);
  assert.equal(chat.name, 'chat gpt-x');
  assert.deepEqual(c['gen_ai.operation.name'], { stringValue: 'chat' });
  assert.deepEqual(c['gen_ai.request.model'], { stringValue: 'gpt-x' });
  assert.deepEqual(c['gen_ai.usage.input_tokens'], { intValue: '120' });
  assert.deepEqual(c['gen_ai.usage.output_tokens'], { intValue: '30' });
  assert.deepEqual(c['gen_ai.response.finish_reasons'], { arrayValue: { values: [{ stringValue: 'tool_calls' }] } });
  const t = attrs(tool);
  assert.deepEqual(t['gen_ai.tool.name'], { stringValue: 'workspace.read_file' });
  assert.deepEqual(t['tiller.policy.decision'], { stringValue: 'allow' });
  assert.equal(tool.endTimeUnixNano, '1700000000530000000');
  // Same trace, same ids: a collector can de-duplicate a re-export.
  assert.deepEqual(traceToOtlp(events), out);
});

test('prompts, replies, task text and tool arguments are left out unless asked for', () => {
  const plain = JSON.stringify(traceToOtlp(events));
  for (const secret of ['PROMPT-BODY', 'secret task text', 'a.ts', 'reading']) assert.ok(!plain.includes(secret), secret);
  const full = JSON.stringify(traceToOtlp(events, { includePrompts: true }));
  for (const secret of ['PROMPT-BODY', 'secret task text', 'a.ts', 'reading']) assert.ok(full.includes(secret), secret);
});
