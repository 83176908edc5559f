import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TASK_CHARS, MAX_TASK_IMAGES, parseHostMessage, parseWebviewMessage } from '../../../extension/protocol/messages.js';
import type { TaskTotals } from '../../../extension/core/agent/types.js';

const totals: TaskTotals = {
  steps: 2,
  modelCalls: 2,
  promptTokens: 100,
  completionTokens: 20,
  cachedPromptTokens: 0,
  costUsd: 0.001,
  toolCalls: 1,
  durationMs: 1200,
};

function rejects(result: { ok: boolean; error?: string }, field: RegExp): void {
  assert.equal(result.ok, false, 'expected the message to be rejected');
  assert.match(result.error ?? '', field);
}

test('valid webview messages parse', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
  const run = parseWebviewMessage({ type: 'runTask', requestId: 'a1-b2', task: '  fix the bug  ', mode: 'plan' });
  assert.deepEqual(run, { ok: true, message: { type: 'runTask', requestId: 'a1-b2', task: 'fix the bug', mode: 'plan' } });
  assert.equal(parseWebviewMessage({ type: 'stop', requestId: 'x' }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'runCommand', command: 'tiller.setApiKey' }).ok, true);
});

test('invalid webview messages are rejected naming the field', () => {
  rejects(parseWebviewMessage({ type: 'runTask', requestId: 'r', task: 'x', mode: 'yolo' }), /^runTask\.mode: /);
  rejects(parseWebviewMessage({ type: 'runTask', requestId: 'r', task: '   ', mode: 'act' }), /^runTask\.task: must not be empty/);
  rejects(parseWebviewMessage({ type: 'runTask', requestId: 'r', task: 'x'.repeat(MAX_TASK_CHARS + 1), mode: 'act' }), /^runTask\.task: /);
  rejects(parseWebviewMessage({ type: 'runTask', requestId: '../etc', task: 'x', mode: 'act' }), /^runTask\.requestId: must be letters/);
  rejects(parseWebviewMessage({ type: 'runTask', task: 'x', mode: 'act' }), /^runTask\.requestId: /);
  rejects(parseWebviewMessage({ type: 'stop' }), /^stop\.requestId: /);
  rejects(parseWebviewMessage({ type: 'launchMissiles' }), /^launchMissiles\.type: /);
  rejects(parseWebviewMessage('ready'), /^message\./);
  rejects(parseWebviewMessage(null), /^message\./);
});

test('the webview can only ask for the two setup commands', () => {
  rejects(parseWebviewMessage({ type: 'runCommand', command: 'workbench.action.terminal.sendSequence' }), /^runCommand\.command: /);
});

test('valid host messages parse, including every AgentEvent kind', () => {
  const events = [
    { type: 'step', step: 1 },
    { type: 'text', delta: 'hi' },
    { type: 'text_reset' },
    { type: 'tool_call', id: 'c1', tool: 'workspace.read', args: { path: 'a.ts' } },
    { type: 'tool_result', id: 'c1', tool: 'workspace.read', isError: false, preview: 'text' },
    { type: 'notice', message: 'n' },
    { type: 'outcome', outcome: { status: 'done', summary: 's', totals, filesChanged: [] } },
  ];
  for (const event of events) {
    const r = parseHostMessage({ type: 'event', requestId: 'r1', event });
    assert.equal(r.ok, true, `${event.type}: ${r.ok ? '' : r.error}`);
  }
  assert.equal(parseHostMessage({ type: 'state', configured: true, model: 'm' }).ok, true);
  assert.equal(parseHostMessage({ type: 'state', configured: false }).ok, true);
  assert.equal(parseHostMessage({ type: 'outcome', requestId: 'r1', status: 'budget_exhausted', summary: '', totals }).ok, true);
  assert.equal(parseHostMessage({ type: 'error', message: 'no folder' }).ok, true);
  assert.equal(parseHostMessage({ type: 'reset' }).ok, true);
});

test('invalid host messages are rejected naming the field', () => {
  rejects(parseHostMessage({ type: 'state', configured: 'yes' }), /^state\.configured: /);
  rejects(parseHostMessage({ type: 'event', requestId: 'r', event: { type: 'text', delta: 5 } }), /^event\.event\.delta: /);
  rejects(parseHostMessage({ type: 'event', requestId: 'r', event: { type: 'exec', cmd: 'rm' } }), /^event\.event\.type: /);
  rejects(parseHostMessage({ type: 'outcome', requestId: 'r', status: 'done', summary: 's', totals: { ...totals, costUsd: '0' } }), /^outcome\.totals\.costUsd: /);
  rejects(parseHostMessage({ type: 'outcome', requestId: 'r', status: 'great', summary: 's', totals }), /^outcome\.status: /);
});

test('runTask images: name and base64 checked, at most MAX_TASK_IMAGES; the extension re-checks the bytes', () => {
  const image = { name: 'shot.png', dataBase64: 'iVBORw0KGgo=' };
  const ok = parseWebviewMessage({ type: 'runTask', requestId: 'r', task: 'look', mode: 'act', images: [image] });
  assert.deepEqual(ok, { ok: true, message: { type: 'runTask', requestId: 'r', task: 'look', mode: 'act', images: [image] } });
  rejects(parseWebviewMessage({ type: 'runTask', requestId: 'r', task: 'x', mode: 'act', images: [{ name: 'a.png', dataBase64: 'not base64!' }] }), /^runTask\.images\.0\.dataBase64: must be base64/);
  rejects(parseWebviewMessage({ type: 'runTask', requestId: 'r', task: 'x', mode: 'act', images: [{ name: '', dataBase64: 'AA==' }] }), /^runTask\.images\.0\.name: /);
  rejects(parseWebviewMessage({ type: 'runTask', requestId: 'r', task: 'x', mode: 'act', images: Array.from({ length: MAX_TASK_IMAGES + 1 }, () => image) }), /^runTask\.images: /);
});
