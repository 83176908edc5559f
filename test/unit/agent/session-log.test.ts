import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSessionLog, readSessionLog, SessionLogError } from '../../../extension/core/agent/session-log.js';
import { runTask } from '../../../extension/core/agent/task.js';
import { memoryTrace } from '../../../extension/core/trace/writer.js';
import { fakeHost, recordingApplier, recordingApprover, scriptedModel, tablePolicy } from '../../helpers/fakes.js';

const dir = () => mkdtempSync(join(tmpdir(), 'tiller-session-'));

test('a crash mid-tool-call resumes with the call answered as interrupted, never re-run, and the torn line reported', () => {
  const path = join(dir(), 's.jsonl');
  const log = openSessionLog(path);
  log.append({ type: 'start', session: 's', task: 'fix', mode: 'act', workspace: '/w', budgets: { maxSteps: 5 }, t: 1 });
  log.append({ type: 'message', message: { role: 'system', content: 'sys' } });
  log.append({ type: 'message', message: { role: 'user', content: 'fix' } });
  log.append({ type: 'message', message: { role: 'assistant', content: null, toolCalls: [{ id: 'a', name: 'shell__run_command', arguments: '{}' }, { id: 'b', name: 'workspace__read_file', arguments: '{}' }] } });
  log.append({ type: 'message', message: { role: 'tool', toolCallId: 'a', content: 'ok' } });
  log.append({ type: 'totals', totals: { steps: 1, modelCalls: 1, promptTokens: 10, completionTokens: 2, cachedPromptTokens: 0, costUsd: 0.5, toolCalls: 1, durationMs: 9 } });
  log.close();
  appendFileSync(path, '{"type":"message","message":{"role":"to');
  const r = readSessionLog(path);
  assert.deepEqual(r.badLines, [7]);
  assert.deepEqual(r.interrupted, ['workspace__read_file']);
  assert.equal(r.messages.length, 5, 'system, user, assistant, the answered call, the interrupted one');
  const last = r.messages.at(-1)!;
  assert.ok(last.role === 'tool' && last.toolCallId === 'b' && /interrupted/.test(last.content));
  assert.equal(r.totals?.costUsd, 0.5);
});

test('a history replaced by compaction is the base that later messages extend', () => {
  const path = join(dir(), 's.jsonl');
  const log = openSessionLog(path);
  log.append({ type: 'start', session: 's', task: 't', mode: 'plan', workspace: '/w', budgets: { maxSteps: 5 }, t: 1 });
  log.append({ type: 'message', message: { role: 'user', content: 'old 1' } });
  log.append({ type: 'history', messages: [{ role: 'user', content: 'summary' }] });
  log.append({ type: 'message', message: { role: 'assistant', content: 'next' } });
  log.append({ type: 'mode', mode: 'act' });
  log.close();
  const r = readSessionLog(path);
  assert.deepEqual(r.messages.map((m) => m.content), ['summary', 'next']);
  assert.equal(r.mode, 'act');
});

test('files that are not sessions are refused with a reason', () => {
  const d = dir();
  assert.throws(() => readSessionLog(join(d, 'missing.jsonl')), (e: unknown) => e instanceof SessionLogError && /ENOENT/.test(e.message));
  writeFileSync(join(d, 'x.jsonl'), '{"type":"message","message":{"role":"user","content":"x"}}\n');
  assert.throws(() => readSessionLog(join(d, 'x.jsonl')), /no start record/);
});

test('a resumed task continues the conversation and the spending so far, and logs where it goes on', async () => {
  const path = join(dir(), 's.jsonl');
  const log = openSessionLog(path);
  const model1 = scriptedModel([{ calls: [{ name: 'workspace__read_file', args: { path: 'a' } }], cost: 0.25 }, { text: 'first done', cost: 0.25 }]);
  const deps = { host: fakeHost({ 'workspace.read_file': () => ({ content: 'A', isError: false }) }), policy: tablePolicy([]), approver: recordingApprover([]), editApplier: recordingApplier(), trace: memoryTrace(), workspaceRoot: '/w' };
  await runTask({ ...deps, model: model1, sessionLog: log }, { task: 'read a' });
  log.close();
  const state = readSessionLog(path);
  assert.equal(state.ended?.status, 'done');
  const model2 = scriptedModel([
    (req) => {
      const texts = req.messages.map((m) => m.content ?? '');
      assert.ok(texts.some((t) => /read a/.test(t)), 'the original task is still there');
      assert.match(String(req.messages.at(-1)!.content), /resumed/);
      return { text: 'continued', cost: 0.25 };
    },
  ]);
  const log2 = openSessionLog(path);
  const outcome = await runTask({ ...deps, model: model2, sessionLog: log2 }, { task: '', resume: state, budgets: { maxCostUsd: 1 } });
  log2.close();
  assert.equal(outcome.status, 'done');
  assert.equal(outcome.totals.costUsd, 0.75, 'spending carries over');
  assert.equal(outcome.totals.steps, 3);
  assert.equal(readSessionLog(path).messages.at(-1)!.content, 'continued');
});
