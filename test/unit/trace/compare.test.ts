import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceEvent, TraceEventBody } from '../../../extension/core/trace/events.js';
import { compareFacts, factsOf, formatComparison } from '../../../extension/core/trace/replay/compare.js';
import { recordedSession, ReplayInputError } from '../../../extension/core/trace/replay/recorded.js';

const session = (root: string, bodies: [string, TraceEventBody][]): TraceEvent[] =>
  [['main', { type: 'session_start', task: 't', mode: 'act', model: 'm', smallModel: 'm', workspace: root, budgets: { maxSteps: 9 }, traceVersion: 2 }] as [string, TraceEventBody], ...bodies].map(
    ([agent, body], seq) => ({ t: seq, seq, session: 's', agent, ...body }) as TraceEvent,
  );
const usage = { promptTokens: 1, completionTokens: 1, cachedPromptTokens: 0, estimated: false };
const call = (step: number, hash: string): TraceEventBody => ({
  type: 'model_call', step, role: 'large', purpose: 'step', model: 'm', usage, costUsd: 0, latencyMs: 1, attempts: 1, usedFallback: false,
  finishReason: 'tool_calls', toolCalls: ['workspace__read_file'], requestHash: hash, reply: { text: '', toolCalls: [], finishReason: 'stop' },
});
const toolCall = (step: number, root: string, path: string): TraceEventBody => ({ type: 'tool_call', step, callId: `c${step}`, tool: 'workspace.read_file', args: { path: `${root}/${path}` } });
const result = (step: number, hash: string): TraceEventBody => ({ type: 'tool_result', step, callId: `c${step}`, tool: 'workspace.read_file', isError: false, durationMs: 3, chars: 5, hash });
const end = (status: string): TraceEventBody => ({ type: 'session_end', status, summary: '', steps: 2, promptTokens: 2, completionTokens: 2, costUsd: 0, durationMs: 1 });

const recorded = session('/rec', [['main', call(1, 'h1')], ['main', toolCall(1, '/rec', 'a')], ['main', result(1, 'r1')], ['main', call(2, 'h2')], ['main', end('done')]]);

test('the same facts under different workspace roots compare equal', () => {
  const replayed = session('/tmp/x', [['main', call(1, 'h1')], ['main', toolCall(1, '/tmp/x', 'a')], ['main', result(1, 'r1')], ['main', call(2, 'h2')], ['main', end('done')]]);
  const c = compareFacts(factsOf(recorded, '/rec'), factsOf(replayed, '/tmp/x'));
  assert.equal(c.same, true);
  assert.match(formatComparison(c), /no difference \(5 facts compared\)/);
});

test('the first differing fact is shown in detail and the rest counted', () => {
  const replayed = session('/tmp/x', [['main', call(1, 'h1')], ['main', toolCall(1, '/tmp/x', 'b')], ['main', result(1, 'r9')], ['main', call(2, 'h9')], ['main', end('done')]]);
  const c = compareFacts(factsOf(recorded, '/rec'), factsOf(replayed, '/tmp/x'));
  assert.equal(c.same, false);
  assert.equal(c.first?.kind, 'tool');
  assert.equal(c.first?.step, 1);
  assert.match(c.first!.recorded, /<workspace>\/a/);
  assert.match(c.first!.replayed, /<workspace>\/b/);
  assert.equal(c.more, 2);
  assert.match(formatComparison(c), /first difference at step 1 \(main\): a different tool decision/);
});

test('a replay that stops early or runs on is a difference', () => {
  const short = session('/rec', [['main', call(1, 'h1')], ['main', end('failed')]]);
  const c = compareFacts(factsOf(recorded, '/rec'), factsOf(short, '/rec'));
  assert.equal(c.first?.kind, 'tool');
  const longer = compareFacts(factsOf(short, '/rec'), factsOf(recorded, '/rec'));
  assert.equal(longer.same, false);
});

test('traces that cannot be replayed are refused with the reason', () => {
  assert.throws(() => recordedSession([]), ReplayInputError);
  const v1 = recorded.map((e) => (e.type === 'session_start' ? { ...e, traceVersion: undefined } : e)) as TraceEvent[];
  assert.throws(() => recordedSession(v1), /version 1; replay needs version 2/);
  assert.throws(() => recordedSession(recorded.slice(0, -1)), /cut off/);
  const noReply = recorded.map((e) => (e.type === 'model_call' ? { ...e, reply: undefined } : e)) as TraceEvent[];
  assert.throws(() => recordedSession(noReply), /no recorded reply/);
  const r = recordedSession(recorded);
  assert.equal(r.calls.length, 2);
  assert.deepEqual(r.budgets, { maxSteps: 9 });
});
