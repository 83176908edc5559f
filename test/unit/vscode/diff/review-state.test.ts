// The editor review's state: a rejected hunk disappears from the proposed document, hunk positions follow the
// rendered text, and the final selection builds exactly the accepted part of the change set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReviewState } from '../../../../extension/vscode/diff/review-state.js';
import { selectHunks } from '../../../../extension/core/edits/hunks.js';
import { sha256Hex } from '../../../../extension/core/edits/hash.js';
import type { ChangeSet } from '../../../../extension/core/edits/types.js';

const base = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((l) => `${l}\n`).join('');
const proposed = base.replace('b\n', 'B\nB2\n').replace('i\n', 'I\n');
const diff = ['--- a/x.txt', '+++ b/x.txt', '@@ -1,3 +1,4 @@', ' a', '-b', '+B', '+B2', ' c', '@@ -8,3 +9,3 @@', ' h', '-i', '+I', ' j', ''].join('\n');

function changeSet(): ChangeSet {
  return {
    id: 'cs1',
    files: [
      { path: 'x.txt', baseHash: sha256Hex(base), newContent: proposed, diff },
      { path: 'new.txt', baseHash: null, newContent: 'hello\n', diff: '--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+hello\n' },
    ],
  };
}

test('hunks are reviewed one by one; a rejected hunk leaves the proposed text', () => {
  const state = new ReviewState(changeSet(), new Map([['x.txt', base], ['new.txt', null]]));
  assert.equal(state.file('x.txt')!.decisions.length, 2);
  assert.equal(state.file('new.txt')!.decisions.length, 1, 'a created file is one decision');
  assert.equal(state.proposedText('x.txt'), proposed);
  assert.deepEqual(state.hunkLines('x.txt').map((h) => [h.hunk, h.line]), [[0, 0], [1, 8]]);
  assert.deepEqual(state.hunkLines('x.txt').map((h) => h.changeLine), [1, 9], 'marks go on the first changed line');

  assert.equal(state.decide('x.txt', 0, 'rejected'), true);
  assert.equal(state.proposedText('x.txt'), base.replace('i\n', 'I\n'));
  assert.deepEqual(state.hunkLines('x.txt').map((h) => [h.hunk, h.line]), [[1, 7]]);
  assert.equal(state.hunkAt('x.txt', 8), 1);
  assert.equal(state.decide('x.txt', 5, 'accepted'), false);
  assert.equal(state.complete, false);
});

test('Accept All after one rejection selects the rest, and selectHunks builds exactly that', async () => {
  const cs = changeSet();
  const state = new ReviewState(cs, new Map([['x.txt', base], ['new.txt', null]]));
  state.decide('x.txt', 1, 'rejected');
  state.decideRest('accepted');
  assert.equal(state.complete, true);
  const result = await selectHunks(cs, state.selection(), async () => base);
  assert.equal(result.complete, false);
  assert.deepEqual(result.rejected, [{ path: 'x.txt', hunk: 2 }]);
  const x = result.changeSet!.files.find((f) => f.path === 'x.txt')!;
  assert.equal(x.newContent, base.replace('b\n', 'B\nB2\n'));
  assert.ok(result.changeSet!.files.some((f) => f.path === 'new.txt'));
});

test('a diff that does not rebuild the proposal is reviewed as a whole file', () => {
  const cs = changeSet();
  cs.files[0]!.newContent = 'something else\n';
  const state = new ReviewState(cs, new Map([['x.txt', base], ['new.txt', null]]));
  assert.equal(state.file('x.txt')!.hunks, undefined);
  assert.equal(state.proposedText('x.txt'), 'something else\n');
  state.decide('x.txt', 0, 'rejected');
  assert.equal(state.proposedText('x.txt'), base);
});
