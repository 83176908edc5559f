import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { doneStepsFrom } from '../../../extension/core/memory/record-updates.js';
import { TaskRecord } from '../../../extension/core/memory/task-record.js';

test('"Done: step N" lines are read, in the forms an agent writes them', () => {
  assert.deepEqual(doneStepsFrom('Done: step 2'), [2]);
  assert.deepEqual(doneStepsFrom('- done: steps 1, 3 and 4\nother text'), [1, 3, 4]);
  assert.deepEqual(doneStepsFrom('I am done: mostly.\nStep 2 is next'), []);
});

test('the record ticks plan steps, survives a reload, and shows what is left', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tiller-record-')), 'r.jsonl');
  const record = new TaskRecord('goal', path);
  record.setTodos(['read a', 'fix b']);
  record.completeTodo(1);
  record.completeTodo(1);
  record.completeTodo(9);
  const again = TaskRecord.load(path);
  assert.deepEqual(again.snapshot.todos, ['(done) read a', 'fix b']);
  assert.match(again.render(), /\(done\) read a\n- fix b/);
});
