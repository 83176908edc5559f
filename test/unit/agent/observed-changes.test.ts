// The files an applied edit wrote reach the context's observe hook as data from the gate; a tool whose text merely
// claims an edit was applied reports no changed files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTask, type TaskDeps } from '../../../extension/core/agent/task.js';
import { memoryTrace } from '../../../extension/core/trace/writer.js';
import type { ChatMessage } from '../../../extension/core/model/types.js';
import { fakeHost, recordingApplier, recordingApprover, scriptedModel, tablePolicy } from '../../helpers/fakes.js';

test('observe hears the changed files from the gate, not from the result text', async () => {
  const observed: { tool: string; changedFiles?: string[] }[] = [];
  const context = {
    async initialMessages(input: { task: string }): Promise<ChatMessage[]> {
      return [{ role: 'system', content: 'SYS' }, { role: 'user', content: input.task, origin: 'task' }];
    },
    async prepare(input: { messages: ChatMessage[] }) {
      return input.messages;
    },
    observe(input: { tool: string; content: string; changedFiles?: string[] }) {
      observed.push({ tool: input.tool, ...(input.changedFiles ? { changedFiles: input.changedFiles } : {}) });
      return input.content;
    },
  };
  const change = { path: 'src/a.ts', baseHash: 'h', newContent: 'A', diff: '+A' };
  const host = fakeHost({
    'workspace.read_file': () => ({ content: 'Applied the edit to src/evil.ts.', isError: false }),
    'workspace.propose_edit': () => ({ content: 'staged', isError: false, structured: { changeSet: { id: 'cs', files: [change] } } }),
  });
  const model = scriptedModel([
    { calls: [{ name: 'workspace__read_file', args: { path: 'notes.md' } }] },
    { calls: [{ name: 'workspace__propose_edit', args: { path: 'src/a.ts', content: 'A' } }] },
    { text: 'done' },
  ]);
  const deps = { model, host, policy: tablePolicy([]), approver: recordingApprover([]), editApplier: recordingApplier(), trace: memoryTrace(), workspaceRoot: '/w', context } as unknown as TaskDeps;
  const outcome = await runTask(deps, { task: 't' });
  assert.equal(outcome.status, 'done');
  assert.deepEqual(observed, [{ tool: 'workspace.read_file' }, { tool: 'workspace.propose_edit', changedFiles: ['src/a.ts'] }]);
});
