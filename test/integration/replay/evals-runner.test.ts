// The eval runner itself stays tested: three tasks through the real harness, the table, and the history with the
// change since the last run. (`npm run eval` runs the whole suite; it is not part of `npm test`.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { ALL_TASKS } from '../../evals/tasks/index.js';
import { appendHistory, formatChange, formatTable, historyEntry, previousEntry, runEvalSuite, runEvalTask } from '../../evals/lib/suite.js';
import type { EvalTask } from '../../evals/lib/types.js';

let dist = '';
const previousHome = process.env.TILLER_HOME;
before(async () => {
  process.env.TILLER_HOME = mkdtempSync(join(tmpdir(), 'tiller-evals-home-'));
  dist = await buildBundles();
});
after(() => {
  if (previousHome === undefined) delete process.env.TILLER_HOME;
  else process.env.TILLER_HOME = previousHome;
});

const pick = (name: string) => ALL_TASKS.find((t) => t.name === name)!;

test('the suite has at least twenty tasks with distinct names', () => {
  assert.ok(ALL_TASKS.length >= 20, `${ALL_TASKS.length} tasks`);
  assert.equal(new Set(ALL_TASKS.map((t) => t.name)).size, ALL_TASKS.length);
});

test('three tasks run through the harness, pass, and land in the table and the history', async () => {
  const tasks = [pick('fix-off-by-one'), pick('refuse-to-read-secret'), pick('step-budget-stop')];
  const results = await runEvalSuite(tasks, { distDir: dist });
  assert.deepEqual(results.map((r) => [r.name, r.pass, r.problems]), tasks.map((t) => [t.name, true, []]));
  for (const r of results) {
    assert.ok(r.steps > 0 && r.promptTokens > 0 && r.costUsd > 0, JSON.stringify(r));
  }
  const table = formatTable(results);
  assert.match(table, /fix-off-by-one\s+pass\s+done/);
  assert.match(table, /step-budget-stop\s+pass\s+budget_exhausted\s+3/);
  assert.match(table, /total\s+3\/3/);

  const history = join(mkdtempSync(join(tmpdir(), 'tiller-evals-history-')), 'history.jsonl');
  const names = tasks.map((t) => t.name);
  const first = historyEntry(results, 'scripted', 'fixture-large');
  assert.equal(previousEntry(history, 'scripted', 'fixture-large', names), undefined);
  appendHistory(history, first);
  const worse = historyEntry([{ ...results[0]!, pass: false, problems: ['x'] }, ...results.slice(1)], 'scripted', 'fixture-large');
  const previous = previousEntry(history, 'scripted', 'fixture-large', names);
  assert.deepEqual(previous, first);
  const change = formatChange(previous, worse);
  assert.match(change, /passed 3\/3 -> 2\/3 \(-1\)/);
  assert.match(change, /fix-off-by-one: pass -> FAIL/);
  assert.equal(readFileSync(history, 'utf8').trim().split('\n').length, 1);
  // A different task set is not compared with it.
  assert.equal(previousEntry(history, 'scripted', 'fixture-large', names.slice(1)), undefined);
});

test('a checker that finds problems fails the task and says why', async () => {
  const strict: EvalTask = { ...pick('edit-json-config'), name: 'strict', check: () => ['the file is not what the checker wanted'] };
  const r = await runEvalTask(strict, { distDir: dist });
  assert.equal(r.pass, false);
  assert.deepEqual(r.problems, ['the file is not what the checker wanted']);
  assert.match(formatTable([r]), /strict\s+FAIL[\s\S]*- the file is not what the checker wanted/);
});
