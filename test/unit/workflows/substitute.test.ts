import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputsUsed, splitArguments, substitute } from '../../../extension/core/workflows/substitute.js';
import { parseSlash, resolveSlash } from '../../../extension/core/workflows/slash.js';
import type { SlashCommand } from '../../../extension/core/workflows/commands.js';

test('$ARGUMENTS is everything after the name, $1..$9 the words (quotes group)', () => {
  assert.deepEqual(substitute('Fix issue #$ARGUMENTS now', '42'), { ok: true, text: 'Fix issue #42 now' });
  assert.deepEqual(substitute('Test $1 with $2; not $10', 'Button "--watch --ci"'), { ok: true, text: 'Test Button with --watch --ci; not $10' });
  assert.deepEqual(substitute('Only $3.', 'a b'), { ok: true, text: 'Only .' });
  assert.deepEqual(splitArguments(`one 'two three' "four \\"five\\"" six`), ['one', 'two three', 'four "five"', 'six']);
});

test('a value holding $1 or ${input:x} is not expanded again', () => {
  assert.deepEqual(substitute('A: $ARGUMENTS B: $1', '$1 ${input:x}', {}), { ok: true, text: 'A: $1 ${input:x} B: $1' });
});

test('arguments a prompt does not place are appended, as Claude Code does', () => {
  assert.deepEqual(substitute('Summarize the changes.', 'in src/'), { ok: true, text: 'Summarize the changes.\n\nARGUMENTS: in src/' });
  assert.deepEqual(substitute('Summarize the changes.', ''), { ok: true, text: 'Summarize the changes.' });
});

test('${input:name} comes from the inputs; a missing one is named with its placeholder', () => {
  assert.deepEqual(inputsUsed('${input:symbol:the function} and ${input:file} and ${input:symbol}'), [{ name: 'symbol', placeholder: 'the function' }, { name: 'file' }]);
  assert.deepEqual(substitute('Explain ${input:symbol:the function}', '', {}), { ok: false, missing: [{ name: 'symbol', placeholder: 'the function' }] });
  assert.deepEqual(substitute('Explain ${input:symbol:the function}', '', { symbol: 'parse' }), { ok: true, text: 'Explain parse' });
});

test('slash parsing: built-ins first, a known command, anything else is plain text', () => {
  const cmd = { name: 'frontend:test', body: 'x' } as SlashCommand;
  assert.deepEqual(parseSlash('/frontend:test Button --ci'), { name: 'frontend:test', args: 'Button --ci' });
  assert.deepEqual(parseSlash('/review\nline two'), { name: 'review', args: 'line two' });
  assert.equal(parseSlash('fix /usr/bin'), undefined);
  assert.equal(resolveSlash('/usr/bin is missing', [cmd]).kind, 'plain');
  assert.equal(resolveSlash('/unknown 42', [cmd]).kind, 'plain');
  assert.deepEqual(resolveSlash('/plan add a flag', [cmd]), { kind: 'builtin', name: 'plan', args: 'add a flag' });
  const r = resolveSlash('/frontend:test Button', [cmd]);
  assert.ok(r.kind === 'command' && r.command === cmd && r.args === 'Button');
});
