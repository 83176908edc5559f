import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TillerConfig } from '../../../extension/vscode/config.js';
import { TaskRunner, type HarnessLike } from '../../../extension/vscode/task-runner.js';

const config = { model: { baseUrl: 'http://127.0.0.1:1/v1', largeModel: 'm' }, maxSteps: 3, maxCostUsd: 1, userRules: {}, problems: [] } as unknown as TillerConfig;

test('the last prompt inspection is read from the harness before it closes', async () => {
  const order: string[] = [];
  let closed = false;
  const harness: HarnessLike = {
    tracePath: '/t.jsonl',
    async run() {
      return { status: 'done', summary: 'ok', totals: { steps: 1, modelCalls: 1, promptTokens: 1, completionTokens: 1, cachedPromptTokens: 0, costUsd: 0, toolCalls: 0, durationMs: 1 }, filesChanged: [] };
    },
    inspectContext() {
      order.push(closed ? 'inspect after close' : 'inspect');
      return { items: [{ kind: 'task', label: 'task', tokens: 5, reason: 'the task' }], totalTokens: 5, budget: 100 };
    },
    async close() {
      closed = true;
      order.push('close');
    },
  };
  const runner = new TaskRunner({
    isTrusted: () => true,
    workspaceRoot: () => '/w',
    loadConfig: async () => config,
    createHarness: async () => harness,
    approver: { approve: async () => ({ approved: false }), askUser: async () => undefined },
    distDir: '/d',
    ripgrepPath: () => undefined,
    log: { info() {}, warn() {}, error() {} },
  } as unknown as ConstructorParameters<typeof TaskRunner>[0]);
  const inspection = () => runner.lastContextInspection;
  assert.equal(inspection(), undefined);
  await runner.run({ requestId: 'r', task: 't', mode: 'act' }, () => {});
  assert.deepEqual(order, ['inspect', 'close']);
  assert.equal(inspection()?.totalTokens, 5);
});
