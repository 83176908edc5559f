// The chat view's side of slash commands and agents: the lists go to the view after `ready` and after each task, and
// the agent picked in the mode picker reaches the runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage } from '../../../extension/protocol/messages.js';
import { ChatController } from '../../../extension/vscode/chat-controller.js';
import type { TaskRequest } from '../../../extension/vscode/task-runner.js';
import { parseWebviewMessage } from '../../../extension/protocol/messages.js';

const lists = { commands: [{ name: 'fix-issue', description: 'Fix an issue', argumentHint: '[n]', source: '.claude/commands/fix-issue.md' }], agents: [{ name: 'reviewer', description: 'Reviews', source: '.claude/agents/reviewer.md' }] };

test('workflows after ready and after a task; the picked agent goes to the runner', async () => {
  const posted: HostMessage[] = [];
  const requests: TaskRequest[] = [];
  const controller = new ChatController({
    post: (m) => posted.push(m),
    runner: { runningRequestId: undefined, run: async (r) => void requests.push(r), stop: () => false },
    loadConfig: async () => ({ model: { baseUrl: 'http://x/v1', largeModel: 'm' }, maxSteps: 5, maxCostUsd: 1, userRules: {}, problems: [] }),
    isTrusted: () => true,
    executeCommand: async () => undefined,
    log: { info() {}, warn() {}, error() {} },
    workflows: async () => lists,
  });
  await controller.handle({ type: 'ready' });
  assert.deepEqual(posted.at(-1), { type: 'workflows', ...lists });
  posted.length = 0;
  await controller.handle({ type: 'runTask', requestId: 'r1', task: '/fix-issue 42', mode: 'act', agent: 'reviewer' });
  assert.deepEqual(requests, [{ requestId: 'r1', task: '/fix-issue 42', mode: 'act', agent: 'reviewer' }]);
  assert.deepEqual(posted.at(-1), { type: 'workflows', ...lists });
});

test('the protocol takes an agent name on runTask and rejects an empty one', () => {
  assert.ok(parseWebviewMessage({ type: 'runTask', requestId: 'r1', task: 'x', mode: 'act', agent: 'reviewer' }).ok);
  const bad = parseWebviewMessage({ type: 'runTask', requestId: 'r1', task: 'x', mode: 'act', agent: '' });
  assert.ok(!bad.ok && /runTask\.agent/.test(bad.error));
});
