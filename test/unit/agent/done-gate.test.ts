// The done-gate: a model answer without tool calls ends the task only when the done checks pass; a failure goes back
// as an observation; after the model insists twice the user may end it anyway; at the step limit a failing done
// check makes the task fail naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTask, type TaskDeps } from '../../../extension/core/agent/task.js';
import { memoryTrace } from '../../../extension/core/trace/writer.js';
import { fakeHost, recordingApplier, recordingApprover, scriptedModel, tablePolicy } from '../../helpers/fakes.js';
import type { DoneChecks } from '../../../extension/core/ports.js';
import type { ChatMessage } from '../../../extension/core/model/types.js';

/** Fails the first `failures` runs, then passes. */
function doneChecks(failures: number): DoneChecks & { runs: number } {
  const c = {
    runs: 0,
    async run() {
      c.runs++;
      return c.runs <= failures ? { failing: ['test'], text: `Check "test" FAILED: test/a.test.js:3 expected 2 (run ${c.runs})` } : { failing: [], text: 'passed' };
    },
  };
  return c;
}

function deps(checks: DoneChecks, replies: number, userAnswers: (string | undefined)[] = []) {
  const model = scriptedModel(Array.from({ length: replies }, (_, i) => ({ text: `done ${i + 1}` })));
  const approver = recordingApprover([], userAnswers);
  const d: TaskDeps = { model, host: fakeHost({}), policy: tablePolicy([]), approver, editApplier: recordingApplier(), trace: memoryTrace(), workspaceRoot: '/w', doneChecks: checks };
  return { d, model, approver };
}

test('a failing done check sends the model back with its digest; once it passes the task is done', async () => {
  const checks = doneChecks(1);
  const { d, model } = deps(checks, 2);
  const outcome = await runTask(d, { task: 't' });
  assert.equal(outcome.status, 'done');
  assert.equal(outcome.summary, 'done 2');
  assert.equal(checks.runs, 2);
  const sentBack = model.requests[1]!.messages.at(-1) as Extract<ChatMessage, { role: 'user' }>;
  assert.equal(sentBack.origin, 'observation');
  assert.match(sentBack.content, /test\/a\.test\.js:3 expected 2 \(run 1\)/);
});

test('at the step limit with the check still failing the task fails, naming the check', async () => {
  const { d } = deps(doneChecks(99), 10);
  const outcome = await runTask(d, { task: 't', budgets: { maxSteps: 3 } });
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.errorKind, 'check');
  assert.match(outcome.summary, /^Stopped: the step budget ran out while the done check "test" still fails\./);
});

test('after the model insisted twice the user is asked; "yes" ends the task as done, no answer keeps it going', async () => {
  const yes = deps(doneChecks(99), 5, ['yes, end it']);
  const ended = await runTask(yes.d, { task: 't' });
  assert.equal(ended.status, 'done');
  assert.equal(yes.approver.questions.length, 1);
  assert.match(yes.approver.questions[0]!, /check "test" still fails\. End the task anyway\?/);
  assert.equal(yes.model.requests.length, 2);

  const nobody = deps(doneChecks(99), 10, []);
  const stopped = await runTask(nobody.d, { task: 't', budgets: { maxSteps: 4 } });
  assert.equal(stopped.status, 'failed');
  assert.ok(nobody.approver.questions.length >= 2, 'asked each time the model insisted again');
});

test('without done checks nothing changes: the first answer ends the task', async () => {
  const model = scriptedModel([{ text: 'done' }]);
  const outcome = await runTask({ model, host: fakeHost({}), policy: tablePolicy([]), approver: recordingApprover([]), editApplier: recordingApplier(), trace: memoryTrace(), workspaceRoot: '/w' }, { task: 't' });
  assert.equal(outcome.status, 'done');
});
