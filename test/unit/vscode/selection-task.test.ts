import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixProblemsTask, selectionTask } from '../../../extension/vscode/selection-task.js';

const sel = { path: 'src/a.ts', startLine: 3, endLine: 5, text: 'const x = 1;', languageId: 'typescript' };

test('selection tasks name the file and line range and carry the code', () => {
  const t = selectionTask('explain', sel);
  assert.match(t, /^Explain what this code does/);
  assert.match(t, /@src\/a\.ts:3-5/);
  assert.match(t, /```typescript\nconst x = 1;\n```$/);
  assert.match(selectionTask('ask', { ...sel, endLine: 3 }, '  why? '), /^why\?\n\nSelection: @src\/a\.ts:3\n/);
});

test('a selection containing a fence gets a longer fence, and long selections are cut', () => {
  assert.match(selectionTask('fix', { ...sel, text: 'a ```b```' }), /````typescript/);
  assert.match(selectionTask('test', { ...sel, text: 'x'.repeat(9000) }), /selection cut/);
});

test('fix problems lists each problem with its line', () => {
  const t = fixProblemsTask({ path: 'a.ts', problems: [{ line: 2, severity: 'error', message: 'bad\n thing', source: 'ts' }] });
  assert.equal(t, 'Fix the problems VS Code reports in @a.ts:\n- line 2 (error, ts): bad thing');
});
