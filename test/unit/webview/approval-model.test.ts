import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editAnswer, fileState, initialSelection, move, planToSteps, selectionSummary, stepsToPlan, toggleFile, toggleHunk } from '../../../webview/approval-model.js';
import type { ApprovalView } from '../../../extension/protocol/messages.js';

test('a plan splits into steps and joins back numbered; continuation lines stay with their step', () => {
  const { intro, steps } = planToSteps('Plan:\n1. Read auth.ts\n   and the tests\n2) Fix the check\n- Run npm test\n\n');
  assert.equal(intro, 'Plan:');
  assert.deepEqual(steps, ['Read auth.ts\nand the tests', 'Fix the check', 'Run npm test']);
  assert.equal(stepsToPlan([...steps, '  '], intro), 'Plan:\n1. Read auth.ts\nand the tests\n2. Fix the check\n3. Run npm test');
  assert.deepEqual(planToSteps('Just do it\nthen check'), { intro: '', steps: ['Just do it', 'then check'] });
  assert.equal(stepsToPlan([], 'Plan:'), '');
});

test('reordering moves one step and clamps', () => {
  assert.deepEqual(move(['a', 'b', 'c'], 0, 2), ['b', 'c', 'a']);
  assert.deepEqual(move(['a', 'b', 'c'], 2, -5), ['c', 'a', 'b']);
  assert.deepEqual(move(['a'], 3, 0), ['a']);
});

const view: Extract<ApprovalView, { kind: 'edit' }> = {
  kind: 'edit',
  policy: { rule: 'r', reason: 'why', source: 'default' },
  files: [
    { path: 'a.ts', change: 'modify', hunks: [{ header: '@@', lines: [] }, { header: '@@', lines: [] }, { header: '@@', lines: [] }] },
    { path: 'new.ts', change: 'create', hunks: [{ header: '@@', lines: [] }, { header: '@@', lines: [] }] },
  ],
};

test('unticking hunks and files gives the accepted subset', () => {
  let s = initialSelection(view);
  assert.equal(selectionSummary(s), '5 of 5 changes accepted');
  s = toggleHunk(view, s, 0, 1, false);
  assert.equal(fileState(s, 0), 'some');
  s = toggleHunk(view, s, 1, 0, false); // a new file goes whole
  assert.equal(fileState(s, 1), 'none');
  assert.deepEqual(editAnswer(view, s, 'no'), { kind: 'edit', files: [{ path: 'a.ts', hunks: [0, 2] }], reason: 'no' });
  s = toggleFile(s, 0, false);
  assert.deepEqual(editAnswer(view, s, ''), { kind: 'edit', files: [], reason: '' });
  s = toggleFile(s, 1, true);
  assert.equal(fileState(s, 1), 'all');
});
