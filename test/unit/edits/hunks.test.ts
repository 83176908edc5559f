import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyHunks, parseFileDiff, renderFileDiff, selectHunks } from '../../../extension/core/edits/hunks.js';
import { unifiedDiff } from '../../../mcp-servers/common/diff.js';
import type { ChangeSet } from '../../../extension/core/edits/types.js';

const lines = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => `${f(i + 1)}\n`).join('');
const base = lines(40, (i) => `line ${i}`);
const edited = base.replace('line 3\n', 'LINE THREE\n').replace('line 20\n', 'line 20\ninserted\n').replace('line 35\n', '');

test('a diff with three separate changes parses into three hunks', () => {
  const parsed = parseFileDiff(unifiedDiff('a.txt', base, edited));
  assert.equal(parsed.hunks.length, 3);
  assert.equal(parsed.oldPath, 'a/a.txt');
  assert.deepEqual(parsed.hunks.map((h) => h.oldStart), [1, 18, 32]);
});

test('applying every hunk gives the new content, none gives the base', () => {
  const { hunks } = parseFileDiff(unifiedDiff('a.txt', base, edited));
  assert.equal(applyHunks(base, hunks, new Set([0, 1, 2])), edited);
  assert.equal(applyHunks(base, hunks, new Set()), base);
});

test('applying a subset applies exactly those hunks', () => {
  const { hunks } = parseFileDiff(unifiedDiff('a.txt', base, edited));
  const out = applyHunks(base, hunks, new Set([0, 2]));
  assert.equal(out, base.replace('line 3\n', 'LINE THREE\n').replace('line 35\n', ''));
});

test('the re-rendered diff of a subset applies to the base and gives the same content', () => {
  const parsed = parseFileDiff(unifiedDiff('a.txt', base, edited));
  const keep = new Set([1, 2]);
  const subset = parseFileDiff(renderFileDiff(parsed, keep));
  assert.equal(subset.hunks.length, 2);
  assert.equal(applyHunks(base, subset.hunks, new Set([0, 1])), applyHunks(base, parsed.hunks, keep));
  // The second kept hunk's new side is shifted by the first kept hunk's added line.
  assert.equal(subset.hunks[1]!.newStart, subset.hunks[1]!.oldStart + 1);
});

test('a missing final newline and CRLF lines survive a round trip', () => {
  const a = 'one\r\ntwo\r\nthree';
  const b = 'one\r\nTWO\r\nthree!';
  const { hunks } = parseFileDiff(unifiedDiff('c.txt', a, b));
  assert.equal(applyHunks(a, hunks, new Set([0])), b);
});

test('insertion at the top of a file and into an empty file', () => {
  const a = 'x\ny\n';
  const b = 'top\nx\ny\n';
  assert.equal(applyHunks(a, parseFileDiff(unifiedDiff('t', a, b)).hunks, new Set([0])), b);
  assert.equal(applyHunks('', parseFileDiff(unifiedDiff('t', '', 'new\n')).hunks, new Set([0])), 'new\n');
});

test('a diff that does not match the base is an error naming the hunk and line', () => {
  const { hunks } = parseFileDiff(unifiedDiff('a.txt', base, edited));
  assert.throws(() => applyHunks(base.replace('line 2\n', 'changed\n'), hunks, new Set([0])), /hunk 1 does not match the file at line 2/);
});

test('text that is not a unified diff is refused with the line', () => {
  assert.throws(() => parseFileDiff('--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n?b\n'), /diff line 5/);
  assert.throws(() => parseFileDiff('--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n'), /shorter than its header/);
});

test('selectHunks returns the accepted subset and names what was rejected', async () => {
  const other = 'alpha\nbeta\n';
  const changeSet: ChangeSet = {
    id: 'cs1',
    files: [
      { path: 'a.txt', baseHash: 'h1', newContent: edited, diff: unifiedDiff('a.txt', base, edited) },
      { path: 'b.txt', baseHash: 'h2', newContent: 'alpha\nBETA\n', diff: unifiedDiff('b.txt', other, 'alpha\nBETA\n') },
      { path: 'new.txt', baseHash: null, newContent: 'n\n', diff: unifiedDiff('new.txt', null, 'n\n') },
    ],
  };
  const reads: string[] = [];
  const result = await selectHunks(
    changeSet,
    new Map([['a.txt', new Set([1])], ['new.txt', new Set([0])]]),
    async (p) => {
      reads.push(p);
      return p === 'a.txt' ? base : null;
    },
    'not now',
  );
  assert.deepEqual(reads, ['a.txt']);
  assert.equal(result.complete, false);
  assert.deepEqual(result.changeSet?.files.map((f) => f.path), ['a.txt', 'new.txt']);
  assert.equal(result.changeSet?.files[0]!.newContent, base.replace('line 20\n', 'line 20\ninserted\n'));
  assert.deepEqual(result.rejected, [
    { path: 'a.txt', hunk: 1, reason: 'not now' },
    { path: 'a.txt', hunk: 3, reason: 'not now' },
    { path: 'b.txt', reason: 'not now' },
  ]);
});

test('selectHunks: everything accepted is complete and unchanged; a partial new file is refused', async () => {
  const changeSet: ChangeSet = { id: 'c', files: [{ path: 'n', baseHash: null, newContent: 'a\nb\n', diff: unifiedDiff('n', null, 'a\nb\n') }] };
  const all = await selectHunks(changeSet, new Map([['n', new Set([0])]]), async () => null);
  assert.equal(all.complete, true);
  assert.deepEqual(all.changeSet?.files, changeSet.files);
  const none = await selectHunks(changeSet, new Map(), async () => null);
  assert.equal(none.changeSet, undefined);
  const big = lines(30, (i) => `l${i}`);
  const two: ChangeSet = { id: 'd', files: [{ path: 'g', baseHash: 'h', newContent: null, diff: unifiedDiff('g', big, null) }] };
  // A deletion is one hunk here; a crafted two-hunk deletion diff picked in part is refused.
  const crafted = { ...two.files[0]!, diff: '--- a/g\n+++ /dev/null\n@@ -1 +0,0 @@\n-l1\n@@ -3 +1,0 @@\n-l3\n' };
  await assert.rejects(selectHunks({ id: 'e', files: [crafted] }, new Map([['g', new Set([0])]]), async () => big), /created or deleted/);
});
