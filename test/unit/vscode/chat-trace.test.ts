import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promptSizes, readTraceSteps, traceSteps } from '../../../extension/vscode/chat-trace.js';
import { openTraceFile } from '../../../extension/core/trace/writer.js';
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
  assert.deepEqual(rows[0]!.tools, ['shell.run: allow (allow shell(ls)), ok in 12 ms', 'shell.run: denied by you (no)']);
  assert.equal(rows[1]!.promptTokens, 800);
  assert.deepEqual(promptSizes(rows).map((r) => r.tokens), [500, 800]);
});

test('the trace viewer gets the cost ledger: by agent, server, tool and model, matching the calls exactly', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tiller-ledger-')), 't.jsonl');
  const sink = openTraceFile(path, 's');
  const usage = (p: number, c: number) => ({ promptTokens: p, completionTokens: c, cachedPromptTokens: 0, estimated: false });
  const modelCall = (agent: string, step: number, tools: string[], cost: number) =>
    sink.emit(agent, { type: 'model_call', step, role: 'large', purpose: 'step', model: 'm', usage: usage(100, 10), costUsd: cost, latencyMs: 5, attempts: 1, usedFallback: false, finishReason: 'stop', toolCalls: tools });
  sink.emit('main', { type: 'session_start', task: 't', mode: 'act', model: 'm', smallModel: 'm', workspace: '/w', budgets: {} });
  modelCall('main', 1, ['workspace__read_file'], 0.02);
  sink.emit('main', { type: 'tool_call', step: 1, callId: 'call_1', tool: 'workspace.read_file', args: {} });
  modelCall('main', 2, [], 0.01);
  sink.close();
  const { ledger } = readTraceSteps(path);
  const cost = (by: string, name: string) => ledger!.find((r) => r.by === by && r.name === name)?.costUsd;
  assert.ok(Math.abs(cost('agent', 'main')! - 0.03) < 1e-12);
  assert.ok(Math.abs(cost('model', 'm')! - 0.03) < 1e-12);
  assert.ok(Math.abs(cost('server', 'workspace')! - 0.02) < 1e-12);
  assert.equal(ledger!.find((r) => r.by === 'tool' && r.name === 'workspace.read_file')?.promptTokens, 100);
});
