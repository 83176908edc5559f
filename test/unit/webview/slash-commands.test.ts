import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchCommands, slashAt } from '../../../webview/slash-commands.js';

test('the command name is completed only at the start of the input, before a space', () => {
  assert.equal(slashAt('/', 1), '');
  assert.equal(slashAt('/front', 6), 'front');
  assert.equal(slashAt('/frontend:te', 12), 'frontend:te');
  assert.equal(slashAt('/fix-issue 42', 13), undefined);
  assert.equal(slashAt('see /usr', 8), undefined);
});

test('matches: prefix first, then containing', () => {
  const items = ['plan', 'fix-issue', 'frontend:test', 'explain'].map((name) => ({ name, description: '', source: '' }));
  assert.deepEqual(matchCommands(items, 'f').map((c) => c.name), ['fix-issue', 'frontend:test']);
  assert.deepEqual(matchCommands(items, 'test').map((c) => c.name), ['frontend:test']);
  assert.deepEqual(matchCommands(items, '').length, 4);
});
