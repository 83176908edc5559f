// The task record and session memory keep the user's task text on disk for later sessions: a secret in it (a key
// pasted into the task) must never be written, like in the trace and the session log.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SessionMemory, summaryFromRecord } from '../../../extension/core/memory/session-memory.js';
import { TaskRecord } from '../../../extension/core/memory/task-record.js';
import { registerSecret } from '../../../extension/core/trace/redact.js';

const dir = mkdtempSync(join(tmpdir(), 'tiller-nosecrets-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SECRET = 'corp-internal-9f8e7d6c5b4a';
registerSecret(SECRET);

test('the task record never stores a registered secret, nor a token-shaped one', () => {
  const path = join(dir, 'record.jsonl');
  const record = new TaskRecord(`Deploy with key ${SECRET} and token ghp_abcdefghijklmnopqrstuvwxyz0123`, path);
  record.addDecision(`used ${SECRET} for the staging login`);
  record.setTodos([`rotate ${SECRET}`]);
  const text = readFileSync(path, 'utf8');
  assert.doesNotMatch(text, new RegExp(SECRET));
  assert.doesNotMatch(text, /ghp_abcdefghijklmnopqrstuvwxyz0123/);
  assert.match(text, /\[REDACTED\]/);
  assert.match(TaskRecord.load(path).snapshot.goal, /^Deploy with key \[REDACTED\]/);
});

test('session memory never stores a registered secret', () => {
  const memory = new SessionMemory(join(dir, 'memory.jsonl'));
  const record = new TaskRecord(`Fix login; the password is ${SECRET}`);
  record.touch('src/login.ts');
  memory.append(summaryFromRecord(record.snapshot, { status: 'done', summary: `logged in with ${SECRET}` }, 1));
  const text = readFileSync(memory.path, 'utf8');
  assert.doesNotMatch(text, new RegExp(SECRET));
  assert.equal(memory.all().length, 1);
  assert.match(memory.all()[0]!.task, /\[REDACTED\]/);
});
