import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countingApprover, outcomeNote } from '../../../extension/vscode/approval-tally.js';
import { recordingApprover } from '../../helpers/fakes.js';

const policy = { decision: 'ask' as const, rule: 'r', source: 'default' as const, reason: 'why' };

test('a done task in which every asked change and command was denied says that nothing changed', async () => {
  const tally = countingApprover(recordingApprover([{ approved: false, reason: 'no' }, { approved: false }]));
  await tally.approver.approve({ kind: 'shell', command: 'rm x', cwd: '.', policy });
  await tally.approver.approve({ kind: 'edit', policy, changeSet: { id: 'c', files: [] } });
  assert.deepEqual(tally.counts, { approved: 0, denied: 2 });
  assert.equal(outcomeNote({ status: 'done', filesChanged: [] }, tally.counts), 'Nothing was changed. All 2 changes and commands Tiller asked about were denied.');
  assert.equal(outcomeNote({ status: 'done', filesChanged: ['a'] }, tally.counts), undefined);
  assert.equal(outcomeNote({ status: 'failed', filesChanged: [] }, tally.counts), undefined);
});

test('one approval, or nothing asked, adds no note; a plan approval is not a change', async () => {
  const tally = countingApprover(recordingApprover([{ approved: true }, { approved: false }]));
  await tally.approver.approve({ kind: 'plan', plan: '1. x' });
  assert.deepEqual(tally.counts, { approved: 0, denied: 0 });
  assert.equal(outcomeNote({ status: 'done', filesChanged: [] }, tally.counts), undefined);
  await tally.approver.approve({ kind: 'shell', command: 'ls', cwd: '.', policy });
  assert.equal(outcomeNote({ status: 'done', filesChanged: [] }, { approved: 1, denied: 3 }), undefined);
});
