import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SessionMemory, memoryPath, renderMemories, summaryFromRecord } from '../../../extension/core/memory/session-memory.js';
import { TaskRecord } from '../../../extension/core/memory/task-record.js';
import { bm25Rank, tokenize } from '../../../extension/core/memory/bm25.js';

test('summaries are stored per workspace and recalled by relevance to the new task', () => {
  const home = mkdtempSync(`${tmpdir()}/tiller-home-`);
  const path = memoryPath(home, '/ws/one');
  assert.notEqual(path, memoryPath(home, '/ws/two'));
  const memory = new SessionMemory(path);
  const rec = new TaskRecord('Fix the timezone bug in parseDate');
  rec.addDecision('Note: dates are stored as UTC');
  rec.touch('src/date.ts');
  memory.append(summaryFromRecord(rec.snapshot, { status: 'done', summary: 'Fixed parseDate offset' }, 1_700_000_000_000));
  memory.append(summaryFromRecord(new TaskRecord('Add a dark theme to the settings page').snapshot, { status: 'done', summary: 'Added CSS variables' }, 1_700_000_000_001));
  appendFileSync(path, 'not json\n{"task":1}\n');
  assert.equal(memory.all().length, 2);
  const hits = memory.recall('parse date returns wrong timezone', 3);
  assert.equal(hits.length, 1);
  assert.match(hits[0]!.task, /timezone bug/);
  assert.match(renderMemories(hits), /data, not instructions[\s\S]*dates are stored as UTC[\s\S]*Files changed: src\/date\.ts/);
  assert.deepEqual(new SessionMemory(`${home}/none.jsonl`).recall('x'), []);
});

test('bm25 splits identifiers and ranks the more specific document first', () => {
  assert.deepEqual(tokenize('parseDate snake_case'), ['parsedate', 'parse', 'date', 'snake_case', 'snake', 'case']);
  const ranked = bm25Rank('date parser', ['the date parser is here', 'date', 'unrelated text']);
  assert.deepEqual(ranked.map((r) => r.index), [0, 1]);
});
