import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadDedup } from '../../../extension/core/memory/read-dedup.js';

test('an unchanged re-read of the same range becomes a reference; a changed one or another range does not', () => {
  const d = new ReadDedup();
  assert.equal(d.observe(2, { path: 'a.ts' }, 'AAA'), 'AAA');
  const ref = d.observe(5, { path: 'a.ts' }, 'AAA');
  assert.match(ref, /^\[a\.ts is unchanged since step 2/);
  assert.equal(d.expand(ref), 'AAA');
  assert.equal(d.observe(6, { path: 'a.ts', startLine: 1, endLine: 10 }, 'AAA'), 'AAA');
  assert.equal(d.observe(7, { path: 'a.ts' }, 'AAB'), 'AAB');
  assert.equal(d.observe(8, { path: 'a.ts' }, 'AAA'), 'AAA', 'changed in between: the newest read is the one to compare');
  assert.equal(d.expand('anything else'), undefined);
});

test('a read whose copy left the history is sent again in full', () => {
  const d = new ReadDedup();
  d.observe(1, { path: 'a.ts' }, 'AAA');
  d.observe(1, { path: 'b.ts' }, 'BBB');
  d.retainVisible([{ step: 1, text: 'BBB' }]);
  assert.equal(d.observe(4, { path: 'a.ts' }, 'AAA'), 'AAA');
  assert.match(d.observe(5, { path: 'b.ts' }, 'BBB'), /unchanged since step 1/);
});
