// After a step that applied a change set, each change observer is asked what the change did and what it says reaches
// the model's next request as one `observation` message; a step that changed nothing asks nobody, and an observer
// that throws does not end the task.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTask, type TaskDeps } from '../../../extension/core/agent/task.js';
import { memoryTrace } from '../../../extension/core/trace/writer.js';
import { fakeHost, recordingApplier, recordingApprover, scriptedModel, tablePolicy } from '../../helpers/fakes.js';
import type { ChangeObserver } from '../../../extension/core/ports.js';
import type { ChatMessage } from '../../../extension/core/model/types.js';

const changeSet = { id: 'cs1', files: [{ path: 'src/a.ts', baseHash: 'abc', newContent: 'new', diff: '--- a\n+++ b\n-old\n+new' }] };

function world(observers: ChangeObserver[]) {
  const host = fakeHost({
    'workspace.propose_edit': () => ({ content: 'staged', isError: false, structured: { changeSet } }),
    'workspace.read_file': () => ({ content: 'text', isError: false }),
  });
  const model = scriptedModel([
    { calls: [{ name: 'workspace__read_file', args: { path: 'src/a.ts' } }] },
    { calls: [{ name: 'workspace__propose_edit', args: { path: 'src/a.ts', content: 'new' } }] },
    { text: 'done' },
  ]);
  const deps: TaskDeps = { model, host, policy: tablePolicy([]), approver: recordingApprover([]), editApplier: recordingApplier(), trace: memoryTrace(), workspaceRoot: '/w', changeObservers: observers };
  return { deps, model };
}

test('what observers say after an applied edit is in the next request, tagged as an observation', async () => {
  const seen: (readonly string[])[] = [];
  const observer: ChangeObserver = {
    afterChanges: (files) => {
      seen.push(files);
      return Promise.resolve({ source: 'check:typecheck', text: 'typecheck failed: src/a.ts:1 error TS2322', problem: true });
    },
  };
  const { deps, model } = world([observer]);
  const outcome = await runTask(deps, { task: 'edit a' });
  assert.equal(outcome.status, 'done');
  assert.deepEqual(seen, [['src/a.ts']], 'asked once, after the edit step only');
  const last = model.requests[2]!.messages.at(-1) as Extract<ChatMessage, { role: 'user' }>;
  assert.equal(last.role, 'user');
  assert.equal(last.origin, 'observation');
  assert.match(last.content, /src\/a\.ts:1 error TS2322/);
  const afterRead = model.requests[1]!.messages.at(-1)!;
  assert.equal(afterRead.role, 'tool', 'a step that changed nothing adds no observation');
});

test('an observer that throws is traced and the task goes on', async () => {
  const { deps, model } = world([{ afterChanges: () => Promise.reject(new Error('language server gone')) }]);
  const outcome = await runTask(deps, { task: 'edit a' });
  assert.equal(outcome.status, 'done');
  assert.equal(model.requests[2]!.messages.at(-1)!.role, 'tool');
  const notices = (deps.trace as ReturnType<typeof memoryTrace>).events.filter((e) => e.type === 'notice').map((e) => (e as { message: string }).message);
  assert.ok(notices.some((m) => /observer failed: language server gone/.test(m)), notices.join('\n'));
});
