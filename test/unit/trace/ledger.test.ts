import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceEvent, TraceEventBody } from '../../../extension/core/trace/events.js';
import { buildLedger, formatLedger, ANSWER, HARNESS } from '../../../extension/core/trace/ledger.js';

let seq = 0;
const ev = (agent: string, body: TraceEventBody, t = 1000 + seq): TraceEvent => ({ t, seq: seq++, session: 's', agent, ...body }) as TraceEvent;
const usage = (p: number, c: number, estimated = false, cached = 0) => ({ promptTokens: p, completionTokens: c, cachedPromptTokens: cached, estimated });
const modelCall = (agent: string, step: number, tools: string[], p: number, c: number, costUsd: number, model = 'm-large', estimated = false) =>
  ev(agent, {
    type: 'model_call', step, role: 'large', purpose: 'step', model, usage: usage(p, c, estimated), costUsd, latencyMs: 10, attempts: 1, usedFallback: false,
    finishReason: tools.length ? 'tool_calls' : 'stop', toolCalls: tools,
    reply: { text: '', toolCalls: tools.map((name, i) => ({ id: `c${i}`, name, arguments: '{}' })), finishReason: tools.length ? 'tool_calls' : 'stop' },
  });

const events: TraceEvent[] = [
  ev('main', { type: 'session_start', task: 'first', mode: 'act', model: 'm-large', smallModel: 'm-small', workspace: '/w', budgets: {} }),
  modelCall('main', 1, ['workspace__read_file', 'shell__run_command'], 100, 10, 0.4),
  modelCall('main', 2, ['explore'], 200, 20, 0.2),
  modelCall('explorer-1', 1, ['workspace__search_text'], 50, 5, 0.01, 'm-small', true),
  modelCall('explorer-1', 2, [], 60, 6, 0.02, 'm-small'),
  modelCall('main', 3, [], 300, 30, 0.3),
  ev('main', { type: 'session_end', status: 'done', summary: '', steps: 3, promptTokens: 710, completionTokens: 71, costUsd: 0.93, durationMs: 5 }),
  ev('main', { type: 'session_start', task: 'second', mode: 'act', model: 'm-large', smallModel: 'm-small', workspace: '/w', budgets: {} }),
  modelCall('main', 1, ['workspace__read_file'], 1000, 100, 1),
];

test('the ledger sums provider usage per task, agent and model, and marks estimated calls', () => {
  const l = buildLedger(events);
  assert.equal(l.total.promptTokens, 1710);
  assert.equal(l.total.completionTokens, 171);
  assert.equal(l.total.modelCalls, 6);
  assert.equal(l.total.estimatedCalls, 1);
  assert.ok(Math.abs(l.total.costUsd - 1.93) < 1e-12);
  assert.deepEqual(l.tasks.map((t) => [t.task, t.promptTokens, t.modelCalls]), [['first', 710, 5], ['second', 1000, 1]]);
  assert.equal(l.byAgent.main!.promptTokens, 1600);
  assert.equal(l.byAgent['explorer-1']!.promptTokens, 110);
  assert.equal(l.byModel['m-small']!.modelCalls, 2);
  assert.equal(l.pricing, 'recorded');
});

test('a call is split evenly over the tool calls it produced; calls with none go to the answer; servers by prefix', () => {
  const l = buildLedger(events);
  // Step 1 of the first task produced two calls: half of 100 prompt tokens and half of $0.40 each.
  assert.equal(l.byTool['shell.run_command']!.promptTokens, 50);
  assert.ok(Math.abs(l.byTool['shell.run_command']!.costUsd - 0.2) < 1e-12);
  assert.equal(l.byTool['workspace.read_file']!.promptTokens, 50 + 1000);
  assert.equal(l.byTool['workspace.search_text']!.promptTokens, 50);
  assert.equal(l.byTool.explore!.promptTokens, 200);
  assert.equal(l.byTool[ANSWER]!.promptTokens, 360);
  assert.equal(l.byServer.workspace!.promptTokens, 1100);
  assert.equal(l.byServer.shell!.promptTokens, 50);
  assert.equal(l.byServer[HARNESS]!.promptTokens, 200);
  // Shares add up to the whole: nothing is lost or counted twice.
  const sum = (r: Record<string, { promptTokens: number; costUsd: number }>) => Object.values(r).reduce((n, x) => n + x.promptTokens, 0);
  assert.equal(sum(l.byTool), l.total.promptTokens);
  assert.equal(sum(l.byServer), l.total.promptTokens);
  assert.match(formatLedger(l), /by server[\s\S]*workspace/);
  assert.match(formatLedger(l), /1 call\(s\) estimated/);
});

test('with a price table the ledger reprices the calls whose model it knows, cached tokens at the cached price', () => {
  const cachedCall = ev('main', {
    type: 'model_call', step: 1, role: 'large', purpose: 'step', model: 'm-large', usage: usage(1_000_000, 1_000_000, false, 400_000), costUsd: 99,
    latencyMs: 1, attempts: 1, usedFallback: false, finishReason: 'stop', toolCalls: [],
  });
  const other = modelCall('main', 2, [], 10, 10, 0.5, 'unknown-model');
  const l = buildLedger([cachedCall, other], { prices: { 'm-large': { inputPerMTok: 2, cachedInputPerMTok: 1, outputPerMTok: 10 } } });
  assert.ok(Math.abs(l.byModel['m-large']!.costUsd - (0.6 * 2 + 0.4 * 1 + 10)) < 1e-9);
  assert.equal(l.byModel['unknown-model']!.costUsd, 0.5);
  assert.equal(l.pricing, 'table');
});

test('a tool call is booked under the namespaced name the gate recorded, even when the model-facing name is hashed', () => {
  const hashed = 'my_server__some_tool_h1a2b3c4d';
  const events2: TraceEvent[] = [
    modelCall('main', 1, [hashed], 100, 10, 0.1),
    ev('main', { type: 'tool_call', step: 1, callId: 'c0', tool: 'my.server.tool', args: {} }),
  ];
  const l = buildLedger(events2);
  assert.deepEqual(Object.keys(l.byTool), ['my.server.tool']);
  assert.deepEqual(Object.keys(l.byServer), ['my']);
});
