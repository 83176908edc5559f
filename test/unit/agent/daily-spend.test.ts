import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileDailySpend } from '../../../extension/core/agent/daily-spend.js';
import { runTask } from '../../../extension/core/agent/task.js';
import { memoryTrace } from '../../../extension/core/trace/writer.js';
import { fakeHost, recordingApplier, recordingApprover, scriptedModel, tablePolicy } from '../../helpers/fakes.js';

test('spending recorded by one process is seen by another; a torn line is skipped; a new day starts at zero', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiller-spend-'));
  let day = new Date(2026, 10, 21, 12);
  const a = fileDailySpend(dir, () => day);
  const b = fileDailySpend(dir, () => day);
  a.record(0.25);
  b.record(0.5);
  appendFileSync(join(dir, '2026-11-21.jsonl'), '{"t":1,"usd":9'); // a writer that crashed mid-line
  assert.equal(a.spentToday(), 0.75);
  a.record(0.25);
  assert.equal(b.spentToday(), 1);
  day = new Date(2026, 10, 22, 0, 1);
  assert.equal(a.spentToday(), 0);
});

test('the daily limit stops a task before the call that would cross it, counting what other sessions spent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiller-spend-'));
  const other = fileDailySpend(dir);
  other.record(0.9); // another window spent most of today's allowance
  const model = scriptedModel(Array.from({ length: 5 }, (_, i) => ({ calls: [{ name: 'workspace__read_file', args: { path: `f${i}` } }], cost: 0.04 })));
  const outcome = await runTask(
    {
      model,
      host: fakeHost({ 'workspace.read_file': () => ({ content: 'x', isError: false }) }),
      policy: tablePolicy([]),
      approver: recordingApprover([]),
      editApplier: recordingApplier(),
      trace: memoryTrace(),
      workspaceRoot: '/w',
      dailySpend: fileDailySpend(dir),
    },
    { task: 't', budgets: { maxDailyCostUsd: 1 } },
  );
  assert.equal(outcome.status, 'budget_exhausted');
  assert.equal(outcome.exhausted, 'daily_cost');
  assert.equal(model.requests.length, 2, '0.90 + 0.04 + 0.04 fits; a third 0.04 would not');
  assert.match(outcome.summary, /today's spending limit \(\$1\)/);
  assert.ok(Math.abs(other.spentToday() - 0.98) < 1e-9, 'this task\'s spending is visible to the other process');
});
