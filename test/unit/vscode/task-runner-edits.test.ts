// The runner hands the harness VS Code's edit applier (made for the task's folder) and turns checkpoints on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HarnessOptions } from '../../../extension/core/agent/types.js';
import type { EditApplier } from '../../../extension/core/ports.js';
import { TaskRunner } from '../../../extension/vscode/task-runner.js';
import type { TillerConfig } from '../../../extension/vscode/config.js';

test('the edit applier is made for the workspace folder and checkpoints are passed on', async () => {
  const created: HarnessOptions[] = [];
  const applier: EditApplier = { apply: async () => ({ ok: true, files: [] }) };
  const roots: string[] = [];
  const config = { model: { baseUrl: 'http://127.0.0.1:1/v1', largeModel: 'm' }, maxSteps: 3, maxCostUsd: 1, userRules: {}, problems: [] } as unknown as TillerConfig;
  const runner = new TaskRunner({
    isTrusted: () => true,
    workspaceRoot: () => '/w',
    loadConfig: async () => config,
    createHarness: async (options) => {
      created.push(options);
      return {
        tracePath: '/t.jsonl',
        run: async () => ({ status: 'done', summary: '', filesChanged: [], totals: { steps: 0, modelCalls: 0, promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0, costUsd: 0, toolCalls: 0, durationMs: 0 } }),
        close: async () => {},
      };
    },
    approver: { approve: async () => ({ approved: false }), askUser: async () => undefined },
    distDir: '/d',
    ripgrepPath: () => undefined,
    log: { info() {}, warn() {}, error() {} },
    editApplier: (root) => {
      roots.push(root);
      return applier;
    },
    checkpoints: true,
  });
  await runner.run({ requestId: 'r1', task: 't', mode: 'act' }, () => {});
  assert.deepEqual(roots, ['/w']);
  assert.equal(created[0]?.editApplier, applier);
  assert.equal(created[0]?.checkpoints, true);
});
