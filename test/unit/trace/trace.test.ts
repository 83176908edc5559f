import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTraceFile } from '../../../extension/core/trace/writer.js';
import { readTrace } from '../../../extension/core/trace/read.js';
import { summarizeTrace, formatTraceSummary } from '../../../extension/core/trace/summary.js';
import { redactSecrets, registerSecret } from '../../../extension/core/trace/redact.js';

const usage = (p: number, c: number) => ({ promptTokens: p, completionTokens: c, cachedPromptTokens: 0, estimated: false });

test('events append as lines, a torn last line is reported and everything before it survives', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tiller-trace-')), 'deep', 't.jsonl');
  const sink = openTraceFile(path, 's1');
  sink.emit('main', { type: 'session_start', task: 'fix it', mode: 'act', model: 'm', smallModel: 's', workspace: '/w', budgets: {} });
  sink.emit('main', { type: 'model_call', step: 1, role: 'large', purpose: 'step', model: 'm', usage: usage(100, 20), costUsd: 0.5, latencyMs: 30, attempts: 1, usedFallback: false, finishReason: 'tool_calls', toolCalls: ['workspace__read_file'] });
  sink.emit('main', { type: 'tool_result', step: 1, callId: 'c', tool: 'workspace.read_file', isError: false, durationMs: 4, chars: 10 });
  sink.close();
  appendFileSync(path, '{"t":1,"seq":3,"type":"model_ca'); // a crash mid-write
  const { events, badLines } = readTrace(path);
  assert.equal(events.length, 3);
  assert.deepEqual(events.map((e) => e.seq), [0, 1, 2]);
  assert.deepEqual(badLines, [4]);
  const s = summarizeTrace(events, badLines);
  assert.equal(s.complete, false);
  assert.equal(s.promptTokens, 100);
  assert.equal(s.byTool['workspace.read_file']!.calls, 1);
  assert.match(formatTraceSummary(s), /session was cut off/);
  assert.match(formatTraceSummary(s), /unreadable lines: 4/);
});

test('secrets are redacted from traces: registered keys exactly, common key shapes by pattern', () => {
  registerSecret('my-configured-key-123456');
  const out = redactSecrets('key my-configured-key-123456 and sk-abcdefghijklmnopqrstuv and AKIAABCDEFGHIJKLMNOP and Bearer abcdefghijklmnopqrstu');
  assert.doesNotMatch(out, /my-configured-key|sk-abc|AKIAABC|abcdefghijklmnopqrstu/);
  assert.equal(out.match(/\[REDACTED\]/g)?.length, 4);
  const path = join(mkdtempSync(join(tmpdir(), 'tiller-trace-')), 't.jsonl');
  const sink = openTraceFile(path, 's');
  sink.emit('main', { type: 'tool_call', step: 1, callId: 'c', tool: 'shell.run_command', args: { command: 'echo my-configured-key-123456' } });
  sink.close();
  assert.doesNotMatch(readFileSync(path, 'utf8'), /my-configured-key/);
});
