import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage } from '../../../extension/protocol/messages.js';
import { ChatController } from '../../../extension/vscode/chat-controller.js';
import type { TillerConfig } from '../../../extension/vscode/config.js';
import { UNTRUSTED_MESSAGE } from '../../../extension/vscode/task-runner.js';

const ready: TillerConfig = {
  model: { baseUrl: 'http://x/v1', largeModel: 'big-model' },
  maxSteps: 50,
  maxCostUsd: 1,
  userRules: {},
  problems: [],
};

function setup(loadConfig: () => Promise<TillerConfig>, trusted = true) {
  const posted: HostMessage[] = [];
  const calls: string[] = [];
  const controller = new ChatController({
    post: (m) => posted.push(m),
    runner: {
      runningRequestId: undefined,
      run: async (request, post) => {
        calls.push(`run ${request.requestId} ${request.mode} ${request.task}`);
        post({ type: 'error', requestId: request.requestId, message: 'from runner' });
      },
      stop: (id) => {
        calls.push(`stop ${id}`);
        return true;
      },
    },
    loadConfig,
    isTrusted: () => trusted,
    executeCommand: async (command) => calls.push(`command ${command}`),
    log: { info() {}, warn() {}, error() {} },
  });
  return { controller, posted, calls };
}

test('ready answers with the state: configured and which model', async () => {
  const { controller, posted } = setup(async () => ready);
  await controller.handle({ type: 'ready' });
  assert.deepEqual(posted, [{ type: 'state', configured: true, model: 'big-model' }]);
});

test('in an untrusted workspace the state says why tasks will not run, and stops saying it once trust is granted', async () => {
  let trusted = false;
  const posted: HostMessage[] = [];
  const controller = new ChatController({
    post: (m) => posted.push(m),
    runner: { run: async () => undefined, stop: () => false, runningRequestId: undefined },
    loadConfig: async () => ready,
    isTrusted: () => trusted,
    executeCommand: async () => undefined,
    log: { info() {}, warn() {}, error() {} },
  });
  await controller.handle({ type: 'ready' });
  // The note is part of the state, not a transcript error that would outlive the reason for it.
  assert.deepEqual(posted, [{ type: 'state', configured: true, model: 'big-model', untrusted: UNTRUSTED_MESSAGE }]);
  trusted = true;
  await controller.sendState(); // what onDidGrantWorkspaceTrust triggers
  assert.deepEqual(posted[1], { type: 'state', configured: true, model: 'big-model' });
});

test('not configured when settings are missing; a malformed setting is reported', async () => {
  const missing = setup(async () => ({ ...ready, problems: ['Set tiller.model.'] }));
  await missing.controller.handle({ type: 'ready' });
  assert.deepEqual(missing.posted, [{ type: 'state', configured: false }]);

  const broken = setup(async () => {
    throw new Error('Setting tiller.prices.gpt.inputPerMTok is invalid');
  });
  await broken.controller.handle({ type: 'ready' });
  assert.deepEqual(broken.posted, [
    { type: 'state', configured: false },
    { type: 'error', message: 'Setting tiller.prices.gpt.inputPerMTok is invalid' },
  ]);
});

test('runTask, stop and runCommand reach the runner and the command service', async () => {
  const { controller, posted, calls } = setup(async () => ready);
  await controller.handle({ type: 'runTask', requestId: 'r1', task: 'do it', mode: 'plan' });
  await controller.handle({ type: 'stop', requestId: 'r1' });
  await controller.handle({ type: 'runCommand', command: 'tiller.setApiKey' });
  assert.deepEqual(calls, ['run r1 plan do it', 'stop r1', 'command tiller.setApiKey']);
  assert.deepEqual(posted, [{ type: 'error', requestId: 'r1', message: 'from runner' }]);
});
