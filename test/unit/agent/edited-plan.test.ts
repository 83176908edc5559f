import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTask, type TaskDeps } from '../../../extension/core/agent/task.js';
import { memoryTrace } from '../../../extension/core/trace/writer.js';
import { fakeHost, recordingApplier, recordingApprover, scriptedModel, tablePolicy } from '../../helpers/fakes.js';

test('a plan the user edited before approving replaces the model plan, in the conversation and the outcome', async () => {
  const approver = recordingApprover([{ approved: true, plan: '1. edit b.ts\n2. run the tests' }]);
  const model = scriptedModel([
    { text: '1. edit a.ts' },
    (req) => {
      const last = (req.messages.at(-1) as { content: string }).content;
      assert.match(last, /1\. edit b\.ts\n2\. run the tests/);
      assert.doesNotMatch(last, /edit a\.ts/);
      return { text: 'done' };
    },
  ]);
  const deps = {
    host: fakeHost({}),
    policy: tablePolicy([]),
    approver,
    editApplier: recordingApplier(),
    trace: memoryTrace(),
    workspaceRoot: '/w',
    model,
  } as unknown as TaskDeps;
  const outcome = await runTask(deps, { task: 't', mode: 'plan' });
  assert.equal(outcome.status, 'done');
  assert.equal(outcome.plan, '1. edit b.ts\n2. run the tests');
});
