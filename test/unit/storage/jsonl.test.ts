// The one append-only JSONL writer and reader: whole lines, torn tails closed off, every line redacted, every record
// validated on the way back.
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { z } from 'zod';
import { appendJsonlRecord, jsonlFollower, openJsonlAppender, readJsonl } from '../../../extension/core/storage/jsonl.js';

const dir = mkdtempSync(join(tmpdir(), 'tiller-jsonl-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const record = z.object({ n: z.number(), s: z.string() });
const hide = (line: string): string => line.replaceAll('hunter2', '[REDACTED]');

test('appends whole redacted lines, and a torn tail left by a crash does not swallow the next record', () => {
  const path = join(dir, 'a.jsonl');
  appendFileSync(path, '{"n":1,"s":"ok"}\n{"n":2,"s":"tor');
  const file = openJsonlAppender<z.infer<typeof record>>(path, { redact: hide });
  file.append({ n: 3, s: 'password hunter2' });
  file.close();
  file.append({ n: 4, s: 'after close is ignored' });
  assert.equal(readFileSync(path, 'utf8'), '{"n":1,"s":"ok"}\n{"n":2,"s":"tor\n{"n":3,"s":"password [REDACTED]"}\n');
  const back = readJsonl(path, record);
  assert.deepEqual(back.records.map((r) => r.n), [1, 3]);
  assert.deepEqual(back.badLines, [2]);
});

test('records that are JSON but do not fit the schema are reported, not cast', () => {
  const path = join(dir, 'b.jsonl');
  appendFileSync(path, '{"n":"one","s":"x"}\n[]\n{"n":5,"s":"y"}\n');
  const back = readJsonl(path, record);
  assert.deepEqual(back.records, [{ n: 5, s: 'y' }]);
  assert.deepEqual(back.badLines, [1, 2]);
});

test('the one-shot appender closes a torn tail too, and the follower reads only what is new', () => {
  const path = join(dir, 'c.jsonl');
  const follow = jsonlFollower(path, record);
  assert.deepEqual(follow.readNew(), []);
  appendJsonlRecord(path, { n: 1, s: 'a' }, { redact: hide });
  assert.deepEqual(follow.readNew().map((r) => r.n), [1]);
  appendFileSync(path, '{"n":2,"s":"half');
  assert.deepEqual(follow.readNew(), [], 'a line still being written waits');
  appendJsonlRecord(path, { n: 3, s: 'hunter2' }, { redact: hide });
  assert.deepEqual(follow.readNew().map((r) => r.s), ['[REDACTED]']);
});
