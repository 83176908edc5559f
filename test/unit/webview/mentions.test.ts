import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertMention, mentionAt } from '../../../webview/mentions.js';

test('the mention being typed is found only after @ at a word start', () => {
  assert.deepEqual(mentionAt('look at @src/ap', 15), { start: 8, query: 'src/ap' });
  assert.deepEqual(mentionAt('@', 1), { start: 0, query: '' });
  assert.equal(mentionAt('mail me at a@b.c', 16), undefined);
  assert.equal(mentionAt('@done and more', 14), undefined);
});

test('choosing a mention replaces what was typed and puts the cursor after it', () => {
  assert.deepEqual(insertMention('fix @ap now', 4, 7, 'src/app.ts'), { text: 'fix @src/app.ts  now', cursor: 16 });
});
