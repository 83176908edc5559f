// The trace's approval event for an edit says what became of every hunk (not only `approved: true`), and the time
// the user took to answer is recorded apart from the tool's own duration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToolGate } from '../../../extension/core/agent/tool-gate.js';
import { memoryTrace } from '../../../extension/core/trace/writer.js';
import type { ApprovalDecision } from '../../../extension/core/ports.js';
import type { ChangeSet } from '../../../extension/core/edits/types.js';
import { fakeHost, recordingApplier, tablePolicy, tool } from '../../helpers/fakes.js';

const diff = ['--- a/a.ts', '+++ b/a.ts', '@@ -1,1 +1,1 @@', '-a', '+A', '@@ -5,1 +5,1 @@', '-e', '+E'].join('\n');
const changeSet: ChangeSet = { id: 'cs1', files: [{ path: 'a.ts', baseHash: 'h', newContent: 'A\n\n\n\nE\n', diff }] };

function run(decision: ApprovalDecision) {
  let clock = 1000;
  const trace = memoryTrace();
  const approver = {
    async approve(): Promise<ApprovalDecision> {
      clock += 7000; // the user reads the diff for 7 s
      return decision;
    },
    async askUser() {
      return undefined;
    },
  };
  const host = fakeHost({
    'workspace.propose_edit': () => {
      clock += 40; // the tool itself
      return { content: 'proposed', isError: false, structured: { changeSet } };
    },
  });
  const gate = new ToolGate(
    { host, policy: tablePolicy([{ match: (a) => a.kind === 'write', decision: 'ask' }]), approver, editApplier: recordingApplier(), trace, agent: 'main', now: () => clock },
    new Map([['workspace.propose_edit', tool('workspace.propose_edit')]]),
  );
  return { gate, trace };
}

test('a partial approval records each hunk; the review time is not the tool duration', async () => {
  const partial: ApprovalDecision = { approved: true, scope: 'once', changeSet: { ...changeSet }, rejected: [{ path: 'a.ts', hunk: 2 }] };
  const { gate, trace } = run(partial);
  await gate.execute(1, { id: 'c1', name: 'workspace__propose_edit', arguments: '{"path":"a.ts","content":"x"}' }, 'workspace.propose_edit');
  const approval = trace.events.find((e) => e.type === 'approval');
  assert.ok(approval && approval.type === 'approval');
  assert.deepEqual(approval.hunks, [{ path: 'a.ts', hunks: ['accepted', 'rejected'] }]);
  assert.equal(approval.waitMs, 7000);
  const result = trace.events.find((e) => e.type === 'tool_result');
  assert.ok(result && result.type === 'tool_result');
  assert.equal(result.durationMs, 40);
});

test('a denial records every hunk rejected', async () => {
  const { gate, trace } = run({ approved: false, reason: 'no' });
  await gate.execute(1, { id: 'c1', name: 'workspace__propose_edit', arguments: '{"path":"a.ts","content":"x"}' }, 'workspace.propose_edit');
  const approval = trace.events.find((e) => e.type === 'approval');
  assert.ok(approval && approval.type === 'approval');
  assert.equal(approval.approved, false);
  assert.deepEqual(approval.hunks, [{ path: 'a.ts', hunks: ['rejected', 'rejected'] }]);
});
