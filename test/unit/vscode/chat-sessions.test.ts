import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionStore, titleOf } from '../../../extension/vscode/chat-sessions.js';
import { parseHostMessage } from '../../../extension/protocol/messages.js';

function memento() {
  const data = new Map<string, unknown>();
  return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: async (k: string, v: unknown) => void data.set(k, JSON.parse(JSON.stringify(v))) };
}

const totals = { steps: 1, modelCalls: 1, promptTokens: 1, completionTokens: 1, cachedPromptTokens: 0, costUsd: 0, toolCalls: 1, durationMs: 1 };

test('a task becomes a session titled by its first line, and its transcript survives a reload', async () => {
  const m = memento();
  const store = new SessionStore(m, () => 1000);
  store.startTask('r1', '\n  Fix the login bug\nin auth.ts', 'act');
  store.record('r1', { type: 'event', requestId: 'r1', event: { type: 'text', delta: 'Look' } });
  store.record('r1', { type: 'event', requestId: 'r1', event: { type: 'text', delta: 'ing' } });
  store.record('r1', { type: 'event', requestId: 'r1', event: { type: 'tool_call', id: 'c', tool: 'workspace.read_file', args: { path: 'a' } } });
  store.record('r1', { type: 'event', requestId: 'r1', event: { type: 'tool_result', id: 'c', tool: 'workspace.read_file', isError: false, preview: 'x' } });
  store.record('r1', { type: 'event', requestId: 'r1', event: { type: 'step', step: 2 } });
  store.record('r1', { type: 'event', requestId: 'r1', event: { type: 'text', delta: 'Done' } });
  store.record('r1', { type: 'outcome', requestId: 'r1', status: 'done', summary: 'Done', totals });
  await store.save();

  const reloaded = new SessionStore(m);
  const message = reloaded.message();
  assert.equal(parseHostMessage(message).ok, true);
  assert.deepEqual(message.sessions, [{ id: 'r1', title: 'Fix the login bug', startedAt: 1000 }]);
  assert.deepEqual(message.transcript.map((e) => e.kind), ['task', 'assistant', 'tool', 'assistant', 'outcome']);
  assert.deepEqual(message.transcript[1], { kind: 'assistant', text: 'Looking' });
  assert.deepEqual(message.transcript[2], { kind: 'tool', tool: 'workspace.read_file', args: '{"path":"a"}', result: 'x', isError: false });
});

test('history keeps several sessions, newest first, and opens an older one', () => {
  const store = new SessionStore(memento());
  store.startTask('a', 'first', 'act');
  store.startTask('b', 'second', 'plan');
  assert.deepEqual(store.list().map((s) => s.title), ['second', 'first']);
  assert.equal(store.open('a'), true);
  assert.equal(store.message().current, 'a');
  assert.equal(store.open('nope'), false);
  store.clear();
  assert.deepEqual(store.message().transcript, []);
  assert.equal(titleOf('x'.repeat(200)).length, 80);
});

test('a corrupt stored value is ignored', () => {
  const m = memento();
  m.data.set('tiller.sessions', 'garbage');
  assert.deepEqual(new SessionStore(m).list(), []);
});
