// A task's error kind is one closed set from the loop to the CLI's exit code and the webview protocol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TASK_ERROR_KINDS, type TaskErrorKind } from '../../../extension/core/agent/error-kinds.js';
import { EXIT, exitCodeFor } from '../../../extension/cli/exit-codes.js';
import { parseHostMessage } from '../../../extension/protocol/messages.js';
import type { TaskOutcome, TaskTotals } from '../../../extension/core/agent/types.js';

const totals = (modelCalls: number): TaskTotals => ({ steps: 1, modelCalls, promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0, costUsd: 0, toolCalls: 0, durationMs: 1 });
const failed = (errorKind: TaskErrorKind, modelCalls = 1): TaskOutcome => ({ status: 'failed', summary: 's', error: 'e', errorKind, totals: totals(modelCalls), filesChanged: [] });

test('configuration errors exit as usage errors; a loop or an internal error as a failed task', () => {
  for (const kind of ['config', 'auth', 'not_found', 'bad_response'] as const) assert.equal(exitCodeFor(failed(kind)), EXIT.usage, kind);
  for (const kind of ['loop', 'internal', 'server', 'rate_limited', 'spend_limit'] as const) assert.equal(exitCodeFor(failed(kind)), EXIT.failed, kind);
  assert.equal(exitCodeFor(failed('network', 0)), EXIT.usage);
  assert.equal(exitCodeFor(failed('network', 2)), EXIT.failed);
});

test('the protocol carries every task error kind and refuses one the core never produces', () => {
  for (const errorKind of TASK_ERROR_KINDS) {
    const r = parseHostMessage({ type: 'event', requestId: 'r', event: { type: 'outcome', outcome: failed(errorKind) } });
    assert.equal(r.ok, true, errorKind);
  }
  const bad = parseHostMessage({ type: 'event', requestId: 'r', event: { type: 'outcome', outcome: { ...failed('loop'), errorKind: 'oops' } } });
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? '' : bad.error, /errorKind/);
});
