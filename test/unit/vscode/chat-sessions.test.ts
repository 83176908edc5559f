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

test('a session keeps its ask_user exchange and its cards, closed with their outcome; a card nobody answered says so', async () => {
  const m = memento();
  const store = new SessionStore(m, () => 1000);
  store.startTask('r1', 'Tidy up', 'act');
  const view = { kind: 'shell' as const, command: 'rm -rf build', cwd: '.', policy: { rule: 'r', reason: 'why', source: 'default' } };
  store.record('r1', { type: 'event', requestId: 'r1', event: { type: 'question', question: 'Which folder?', answer: 'build' } });
  store.recordView({ type: 'approval', approvalId: 'a1', view });
  store.recordView({ type: 'approvalClosed', approvalId: 'a1', outcome: 'denied: not now', approved: false });
  store.recordView({ type: 'approval', approvalId: 'a2', view });
  store.record('r1', { type: 'outcome', requestId: 'r1', status: 'done', summary: 'ok', totals, note: 'Nothing was changed.', priceKnown: false });
  // After the task, a card of a later task (or a stray one) no longer lands in this session.
  store.recordView({ type: 'approval', approvalId: 'a3', view });
  store.recordView({ type: 'notice', message: 'Restored the checkpoint "x" (1 s ago): 1 file restored.' });
  await store.save();

  const message = new SessionStore(m).message();
  assert.equal(parseHostMessage(message).ok, true);
  assert.deepEqual(message.transcript.map((e) => e.kind), ['task', 'question', 'approval', 'approval', 'outcome', 'notice']);
  assert.deepEqual(message.transcript[1], { kind: 'question', question: 'Which folder?', answer: 'build' });
  assert.deepEqual(message.transcript[2], { kind: 'approval', approvalId: 'a1', view, closed: { outcome: 'denied: not now', approved: false } });
  assert.deepEqual(message.transcript[3], { kind: 'approval', approvalId: 'a2', view, closed: { outcome: 'not answered: the task ended', approved: false } });
  assert.deepEqual(message.transcript[4], { kind: 'outcome', status: 'done', summary: 'ok', totals, note: 'Nothing was changed.', priceKnown: false });
});

test('a stored edit card keeps at most a few hundred diff lines', () => {
  const store = new SessionStore(memento());
  store.startTask('r1', 'big', 'act');
  const lines = Array.from({ length: 5000 }, (_, i) => `+line ${i}`);
  store.recordView({ type: 'approval', approvalId: 'a1', view: { kind: 'edit', policy: { rule: 'r', reason: 'w', source: 'default' }, files: [{ path: 'a', change: 'create', hunks: [{ header: '@@', lines }] }] } });
  const card = store.message().transcript[1];
  assert.ok(card?.kind === 'approval' && card.view.kind === 'edit');
  const kept = card.view.files[0]!.hunks[0]!.lines;
  assert.equal(kept.length, 401);
  assert.match(kept.at(-1)!, /4600 more lines/);
});

test('the history list alone is sent after a task, without a transcript', () => {
  const store = new SessionStore(memento(), () => 5);
  store.startTask('r1', 'first task', 'act');
  const list = store.listMessage();
  assert.deepEqual(list, { type: 'sessions', current: 'r1', sessions: [{ id: 'r1', title: 'first task', startedAt: 5 }] });
  assert.equal(parseHostMessage(list).ok, true);
});
