import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEditOutcomes, editOutcomes } from '../../../extension/core/edits/review-outcome.js';
import type { ChangeSet } from '../../../extension/core/edits/types.js';

const threeHunks = ['--- a/a.ts', '+++ b/a.ts', '@@ -1,1 +1,1 @@', '-a', '+A', '@@ -5,1 +5,1 @@', '-e', '+E', '@@ -9,1 +9,1 @@', '-i', '+I'].join('\n');
const created = ['--- /dev/null', '+++ b/new.ts', '@@ -0,0 +1,1 @@', '+new'].join('\n');
const changeSet: ChangeSet = {
  id: 'c1',
  files: [
    { path: 'a.ts', baseHash: 'h', newContent: 'A', diff: threeHunks },
    { path: 'new.ts', baseHash: null, newContent: 'new', diff: created },
  ],
};

test('a full approval accepts every hunk; a denial rejects every hunk', () => {
  assert.deepEqual(editOutcomes(changeSet, { approved: true }), [
    { path: 'a.ts', hunks: ['accepted', 'accepted', 'accepted'] },
    { path: 'new.ts', hunks: ['accepted'] },
  ]);
  const denied = editOutcomes(changeSet, { approved: false, reason: 'no' });
  assert.deepEqual(denied.map((f) => f.hunks), [['rejected', 'rejected', 'rejected'], ['rejected']]);
  assert.equal(describeEditOutcomes(denied), 'all 4 changes rejected');
});

test('a partial approval: the rejected hunk (1-based) and the file left out are rejected, the rest accepted', () => {
  const partial = editOutcomes(changeSet, {
    approved: true,
    changeSet: { ...changeSet, files: [changeSet.files[0]!] },
    rejected: [{ path: 'a.ts', hunk: 2 }, { path: 'new.ts' }],
  });
  assert.deepEqual(partial, [
    { path: 'a.ts', hunks: ['accepted', 'rejected', 'accepted'] },
    { path: 'new.ts', hunks: ['rejected'] },
  ]);
  assert.equal(describeEditOutcomes(partial), '2 of 4 changes accepted, 2 rejected');
  assert.equal(describeEditOutcomes([{ path: 'x', hunks: ['accepted'] }]), 'the change was accepted');
  assert.equal(describeEditOutcomes([{ path: 'x', hunks: ['accepted', 'accepted'] }]), 'all 2 changes accepted');
});
