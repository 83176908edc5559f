// The loop's hook moments with a recording LifecycleHooks: a hook's ask goes to the approver for a call the rules
// allow; a subagent's stop is a SubagentStop; PostToolUse context joins the history as one `hook` message after the
// step's tool results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTask, type TaskDeps } from '../../../../extension/core/agent/task.js';
import { memoryTrace } from '../../../../extension/core/trace/writer.js';
import { fakeHost, recordingApplier, recordingApprover, scriptedModel, tablePolicy } from '../../../helpers/fakes.js';
import type { LifecycleHooks } from '../../../../extension/core/agent/hooks/types.js';

function recordingHooks(over: Partial<LifecycleHooks> = {}): LifecycleHooks & { seen: string[] } {
  const seen: string[] = [];
  const none = { context: [] as string[] };
  return {
    seen,
    beforeTool: async (c) => (seen.push(`pre ${c.agent} ${c.tool}`), none),
    afterTool: async (c) => (seen.push(`post ${c.agent} ${c.tool}`), none),
    sessionStart: async () => (seen.push('start'), none),
    userPromptSubmit: async () => (seen.push('prompt'), none),
    stop: async (i) => (seen.push(`${i.subagent ? 'subagent-stop' : 'stop'} ${i.agent}`), none),
    preCompact: async () => (seen.push('precompact'), none),
    ...over,
  };
}

const base = (over: Partial<TaskDeps> & Pick<TaskDeps, 'model'>): TaskDeps =>
  ({ host: fakeHost({ 'workspace.read_file': () => ({ content: 'file text', isError: false }) }), policy: tablePolicy([{ match: () => true, decision: 'allow' }]), approver: recordingApprover([{ approved: false }]), editApplier: recordingApplier(), trace: memoryTrace(), workspaceRoot: '/w', ...over }) as TaskDeps;

test("a hook's ask puts a call the rules allow to the approver; declined, the tool never runs", async () => {
  const host = fakeHost({ 'workspace.read_file': () => ({ content: 'file text', isError: false }) });
  const approver = recordingApprover([{ approved: false, reason: 'not now' }]);
  const hooks = recordingHooks({ beforeTool: async () => ({ permission: { decision: 'ask', reason: 'the hook wants a person', source: 'project', rule: 'hook PreToolUse x' }, context: [] }) });
  const model = scriptedModel([{ calls: [{ name: 'workspace__read_file', args: { path: 'a.txt' } }] }, { text: 'ok' }]);
  await runTask(base({ model, host, approver, hooks }), { task: 't' });
  assert.equal(approver.requests.length, 1);
  assert.equal(host.calls.length, 0);
  assert.match((model.requests[1]!.messages.at(-1) as { content: string }).content, /The user declined this and said: not now/);
});

test('the explorer ends with SubagentStop, the coordinator with Stop; PostToolUse context is one hook message', async () => {
  const seen: string[] = [];
  const hooks = recordingHooks({ afterTool: async (c) => (seen.push(`post ${c.agent} ${c.tool}`), { context: ['remember: generated files are read-only'] }) });
  const model = scriptedModel([
    { calls: [{ name: 'explore', args: { question: 'where?' } }] },
    { calls: [{ name: 'workspace__read_file', args: { path: 'a.txt' } }] }, // the explorer
    { text: 'in a.txt' }, // the explorer's report
    { text: 'done' },
  ]);
  await runTask(base({ model, hooks }), { task: 't' });
  assert.deepEqual(hooks.seen, ['start', 'prompt', 'pre explorer-1 workspace.read_file', 'subagent-stop explorer-1', 'stop main']);
  assert.deepEqual(seen, ['post explorer-1 workspace.read_file']);
  const explorerReport = model.requests[2]!.messages;
  const hookMessage = explorerReport.at(-1) as { role: string; content: string; origin?: string };
  assert.deepEqual([hookMessage.role, hookMessage.origin, hookMessage.content], ['user', 'hook', 'remember: generated files are read-only']);
  assert.equal(explorerReport.at(-2)?.role, 'tool', 'after the tool result, so the conversation stays well-formed');
});
