// What a trace records for replay: replies, request hashes that ignore the workspace path and command durations,
// result hashes, user answers, the schema version; full prompts only when the user opted in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTask, type TaskDeps } from '../../../extension/core/agent/task.js';
import { memoryTrace, openTraceFile } from '../../../extension/core/trace/writer.js';
import { TRACE_VERSION } from '../../../extension/core/trace/events.js';
import { requestHash, resultHash, canonicalJson } from '../../../extension/core/trace/replay/hash.js';
import { fakeHost, recordingApplier, recordingApprover, scriptedModel, tablePolicy } from '../../helpers/fakes.js';

const ok = (content: string) => ({ content, isError: false });

async function record(workspaceRoot: string, recordPrompts: boolean, output = 'out') {
  const trace = memoryTrace('s', Date.now, { recordPrompts });
  const model = scriptedModel([{ calls: [{ name: 'workspace__read_file', args: { path: 'a.txt' } }] }, { calls: [{ name: 'ask_user', args: { question: 'which?' } }] }, { text: 'done' }]);
  const deps = {
    model,
    host: fakeHost({ 'workspace.read_file': () => ok(`${workspaceRoot}/a.txt: ${output} [exit code 0; ${Math.floor(Math.random() * 900) + 10} ms]`) }),
    policy: tablePolicy([]),
    approver: recordingApprover([], ['the first']),
    editApplier: recordingApplier(),
    trace,
    workspaceRoot,
  } as TaskDeps;
  await runTask(deps, { task: 'read a' });
  return trace.events;
}

test('each model call records its reply and a request hash; results a hash; answers are kept; the version is stamped', async () => {
  const events = await record('/work/one', false);
  const start = events[0]!;
  assert.ok(start.type === 'session_start' && start.traceVersion === TRACE_VERSION);
  const calls = events.filter((e) => e.type === 'model_call');
  assert.equal(calls.length, 3);
  const first = calls[0]!;
  assert.ok(first.type === 'model_call');
  assert.deepEqual(first.reply, { text: '', toolCalls: [{ id: 'call_1_0', name: 'workspace__read_file', arguments: '{"path":"a.txt"}' }], finishReason: 'tool_calls' });
  assert.match(first.requestHash ?? '', /^[0-9a-f]{64}$/);
  assert.equal(first.request, undefined);
  const result = events.find((e) => e.type === 'tool_result');
  assert.ok(result?.type === 'tool_result' && /^[0-9a-f]{64}$/.test(result.hash ?? ''));
  assert.ok(events.some((e) => e.type === 'question' && e.question === 'which?' && e.answer === 'the first'));
});

test('hashes do not depend on where the workspace is or how long a command took, but do on what was sent', async () => {
  const hashes = (events: Awaited<ReturnType<typeof record>>) => events.flatMap((e) => (e.type === 'model_call' ? [e.requestHash] : e.type === 'tool_result' ? [e.hash] : []));
  const a = hashes(await record('/work/one', false));
  const b = hashes(await record('/tmp/elsewhere/two', false));
  assert.deepEqual(a, b);
  const c = hashes(await record('/work/one', false, 'different output'));
  assert.equal(c[0], a[0]); // the first request is the same
  assert.notEqual(c[1], a[1]); // the result differs
  assert.notEqual(c[2], a[2]); // and so does the next request
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
  assert.equal(resultHash('/w/x [exit code 1; 12 ms]', '/w'), resultHash('/v/x [exit code 1; 999 ms]', '/v'));
  assert.notEqual(requestHash([{ role: 'user', content: 'a' }], []), requestHash([{ role: 'user', content: 'b' }], []));
});

test('full requests are recorded only when the user opts in, and secrets are still redacted', async () => {
  const events = await record('/work/one', true);
  const first = events.find((e) => e.type === 'model_call');
  assert.ok(first?.type === 'model_call' && first.request);
  assert.equal(first.request.messages.at(-1)?.role, 'user');
  assert.ok(first.request.tools.some((t) => t.name === 'workspace__read_file'));

  const dir = mkdtempSync(join(tmpdir(), 'tiller-rec-'));
  const previous = process.env.TILLER_TRACE_PROMPTS;
  try {
    process.env.TILLER_TRACE_PROMPTS = '1';
    const optedIn = openTraceFile(join(dir, 'a.jsonl'), 's');
    optedIn.close();
    assert.equal(optedIn.recordPrompts, true);
    delete process.env.TILLER_TRACE_PROMPTS;
    const sink = openTraceFile(join(dir, 'b.jsonl'), 's');
    assert.equal(sink.recordPrompts, false);
    const explicit = openTraceFile(join(dir, 'c.jsonl'), 's', Date.now, { recordPrompts: true });
    explicit.close();
    assert.equal(explicit.recordPrompts, true);
    sink.emit('main', {
      type: 'model_call', step: 1, role: 'large', purpose: 'step', model: 'm', usage: { promptTokens: 1, completionTokens: 1, cachedPromptTokens: 0, estimated: false },
      costUsd: 0, latencyMs: 1, attempts: 1, usedFallback: false, finishReason: 'stop', toolCalls: [],
      request: { messages: [{ role: 'user', content: 'my key is sk-abcdefghijklmnopqrstuvwxyz' }], tools: [] },
    });
    sink.close();
    assert.doesNotMatch(readFileSync(join(dir, 'b.jsonl'), 'utf8'), /sk-abcdefghijklmnop/);
  } finally {
    if (previous === undefined) delete process.env.TILLER_TRACE_PROMPTS;
    else process.env.TILLER_TRACE_PROMPTS = previous;
  }
});
