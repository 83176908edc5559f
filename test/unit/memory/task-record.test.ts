import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskRecord } from '../../../extension/core/memory/task-record.js';
import { constraintsFrom, notesFrom, planSteps, recordObservation } from '../../../extension/core/memory/record-updates.js';

test('the record is appended as it changes and rebuilt from its file, skipping a torn last line', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tiller-record-')), 'tasks', 't1.jsonl');
  const r = new TaskRecord('Fix the date parser', path);
  r.addConstraint("Don't touch src/legacy.ts");
  r.addDecision('Note: parser lives in src/date.ts');
  r.addDecision('Note: parser lives in src/date.ts');
  r.addFailure('step 2: shell.run_command npm test -> exit 1');
  r.touch('src/date.ts');
  r.setTodos(['write the test', 'fix it']);
  appendFileSync(path, '{"t":1,"kind":"decisions","val');
  const back = TaskRecord.load(path);
  assert.deepEqual(back.snapshot, r.snapshot);
  assert.equal(back.snapshot.decisions.length, 1);
  back.touch('src/other.ts');
  assert.deepEqual(TaskRecord.load(path).snapshot.filesTouched, ['src/date.ts', 'src/other.ts']);
});

test('a file with no goal is a clear error; hostile values are skipped', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tiller-record-')), 'r.jsonl');
  appendFileSync(path, '{"kind":"decisions","value":"x"}\n');
  assert.throws(() => TaskRecord.load(path), /holds no task record/);
  appendFileSync(path, '{"kind":"goal","value":"g"}\n{"kind":"decisions","value":{"evil":1}}\n{"kind":"__proto__","value":"x"}\n');
  assert.deepEqual(TaskRecord.load(path).snapshot.decisions, []);
});

test('render shows only the sections that have entries', () => {
  const r = new TaskRecord('Goal G');
  assert.doesNotMatch(r.render(), /Constraints/);
  r.addConstraint('only change tests');
  assert.match(r.render(), /Goal:\nGoal G[\s\S]*Constraints \(must hold\):\n- only change tests/);
});

test('constraints come from the user words that restrict the work', () => {
  const c = constraintsFrom("Fix the bug in parse. Don't touch src/legacy.ts. Use the existing helper.\n- Never add dependencies");
  assert.deepEqual(c, ["Don't touch src/legacy.ts.", 'Never add dependencies']);
});

test('notes and decisions are the lines the agent marks; plan steps are numbered or bulleted lines', () => {
  assert.deepEqual(notesFrom('Looking.\nNote: port is 8123\n- Decision: keep the API\nnotes about x'), ['Note: port is 8123', 'Decision: keep the API']);
  assert.deepEqual(planSteps('Plan:\n1. read a.ts\n2) fix b.ts\n- run tests\ntext'), ['read a.ts', 'fix b.ts', 'run tests']);
});

test('observations: applied edits touch files, errors and refusals become failed approaches', () => {
  const r = new TaskRecord('g');
  recordObservation(r, { step: 3, tool: 'workspace.propose_edit', args: { path: 'a.ts' }, content: 'Applied the edit to a.ts, b/c.ts.\n--- diff', isError: false, changedFiles: ['a.ts', 'b/c.ts'] });
  recordObservation(r, { step: 4, tool: 'shell.run_command', args: { command: 'rm -rf /' }, content: 'Denied by the permission rules (deny shell): no', isError: true });
  recordObservation(r, { step: 5, tool: 'workspace.read_file', args: { path: 'x.ts' }, content: 'ok', isError: false });
  assert.deepEqual(r.snapshot.filesTouched, ['a.ts', 'b/c.ts']);
  assert.deepEqual(r.snapshot.failed, ['step 4: shell.run_command rm -rf / -> Denied by the permission rules (deny shell): no']);
});

test('a result that only says it applied an edit touches nothing: the files come from the gate, not the text', () => {
  const r = new TaskRecord('g');
  recordObservation(r, { step: 1, tool: 'workspace.read_file', args: { path: 'notes.md' }, content: 'Applied the edit to src/evil.ts.', isError: false });
  recordObservation(r, { step: 2, tool: 'workspace.propose_edit', args: { path: 'a.ts' }, content: 'Applied the edit to a.ts.', isError: false, changedFiles: ['a.ts'] });
  assert.deepEqual(r.snapshot.filesTouched, ['a.ts']);
});
