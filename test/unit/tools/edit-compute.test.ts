import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeEdit, detectCrlf, EditError } from '../../../mcp-servers/workspace/edit-compute.js';

const replace = (search: string, rep: string) => ({ kind: 'replace' as const, edits: [{ search, replace: rep }] });

test('a unique search is replaced', () => {
  assert.equal(computeEdit('a.ts', 'const a = 1;\nconst b = 2;\n', replace('b = 2', 'b = 3')), 'const a = 1;\nconst b = 3;\n');
});

test('0 matches says so and asks to re-read', () => {
  assert.throws(() => computeEdit('a.ts', 'x\n', replace('y', 'z')), (e: Error) => e instanceof EditError && /matched 0 times in a\.ts/.test(e.message));
});

test('several matches says how many and asks for context', () => {
  assert.throws(() => computeEdit('a.ts', 'x\nx\nx\n', replace('x', 'y')), /matched 3 times in a\.ts, add surrounding lines to make it unique/);
  assert.throws(() => computeEdit('a.ts', 'aa\naa\n', replace('aa', 'b')), /matched 2 times/);
});

test('edits apply in order, and a later edit sees earlier ones; labels name the failing edit', () => {
  const out = computeEdit('a', 'one\ntwo\n', { kind: 'replace', edits: [{ search: 'one', replace: 'uno' }, { search: 'uno\ntwo', replace: 'uno\ndos' }] });
  assert.equal(out, 'uno\ndos\n');
  assert.throws(
    () => computeEdit('a', 'one\n', { kind: 'replace', edits: [{ search: 'one', replace: 'x' }, { search: 'one', replace: 'y' }] }),
    /edit 2 of 2: search text matched 0 times/,
  );
});

test('CRLF files stay CRLF, even when the model writes \\n', () => {
  const file = 'line one\r\nline two\r\nline three\r\n';
  const out = computeEdit('w.txt', file, replace('line two\nline three', 'line 2\nline 3\nline 4'));
  assert.equal(out, 'line one\r\nline 2\r\nline 3\r\nline 4\r\n');
  const whole = computeEdit('w.txt', file, { kind: 'write', content: 'a\nb\n' });
  assert.equal(whole, 'a\r\nb\r\n');
});

test('LF and mixed files are left byte for byte outside the edit', () => {
  assert.equal(detectCrlf('a\r\nb\n'), false);
  assert.equal(computeEdit('m', 'a\r\nb\nc\n', replace('b', 'B')), 'a\r\nB\nc\n');
});

test('a BOM is preserved for search/replace and whole-file writes, and not doubled', () => {
  const bom = '\uFEFF';
  assert.equal(computeEdit('b', `${bom}hello\n`, replace('hello', 'bye')), `${bom}bye\n`);
  assert.equal(computeEdit('b', `${bom}hello\n`, { kind: 'write', content: 'new\n' }), `${bom}new\n`);
  assert.equal(computeEdit('b', `${bom}hello\n`, { kind: 'write', content: `${bom}new\n` }), `${bom}new\n`);
  assert.equal(computeEdit('b', 'hello\n', replace('hello', 'x')).startsWith(bom), false);
});

test('search/replace needs an existing file; whole-file writes may create one', () => {
  assert.throws(() => computeEdit('new.ts', null, replace('a', 'b')), /does not exist/);
  assert.equal(computeEdit('new.ts', null, { kind: 'write', content: 'x\n' }), 'x\n');
});

test('an empty search is refused', () => {
  assert.throws(() => computeEdit('a', 'x', replace('', 'y')), /search is empty/);
});
