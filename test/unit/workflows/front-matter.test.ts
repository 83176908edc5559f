import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFrontMatter } from '../../../extension/core/workflows/front-matter.js';

test('YAML front matter as the tools write it: quoted strings, lists, block strings', () => {
  const r = parseFrontMatter("---\ndescription: \"Fix: an issue\"\ntools: ['codebase', 'search']\nnotes: |\n  two\n  lines\n---\nBody $ARGUMENTS\n");
  assert.ok(r.ok);
  assert.deepEqual(r.data, { description: 'Fix: an issue', tools: ['codebase', 'search'], notes: 'two\nlines\n' });
  assert.equal(r.body, 'Body $ARGUMENTS\n');
  assert.equal(r.bodyLine, 8);
});

test('no front matter: all body; CRLF and a BOM are read alike', () => {
  assert.deepEqual(parseFrontMatter('just text\n'), { ok: true, data: {}, body: 'just text\n', bodyLine: 1 });
  const r = parseFrontMatter('\uFEFF---\r\nname: x\r\n---\r\nhello\r\n');
  assert.ok(r.ok);
  assert.deepEqual(r.data, { name: 'x' });
  assert.equal(r.body, 'hello\n');
});

test('malformed front matter names the line of the file it is on', () => {
  const unclosed = parseFrontMatter('---\nname: a\ndescription: "never closed\nmodel: small\n---\nbody\n');
  assert.equal(unclosed.ok, false);
  assert.ok(!unclosed.ok && unclosed.line >= 3 && unclosed.line <= 5, JSON.stringify(unclosed));
  const badIndent = parseFrontMatter('---\nname: a\ntools:\n  - Read\n - Grep\n---\nbody\n');
  assert.ok(!badIndent.ok);
  assert.match(badIndent.message, /not valid YAML/);
  const dup = parseFrontMatter('---\nname: a\nname: b\n---\nx');
  assert.ok(!dup.ok && dup.line === 3, JSON.stringify(dup));
  assert.deepEqual(parseFrontMatter('---\nname: a\nbody without end\n'), { ok: false, message: 'front matter starts with --- but has no closing --- line', line: 1 });
  const list = parseFrontMatter('---\n- a\n- b\n---\nx');
  assert.ok(!list.ok && /mapping/.test(list.message));
});

test("one-line text fields read as written, as in Claude Code's examples", () => {
  const r = parseFrontMatter('---\nargument-hint: [pr-number] [priority]\ndescription: Review: the PR\n---\nx');
  assert.ok(r.ok);
  assert.deepEqual(r.data, { 'argument-hint': '[pr-number] [priority]', description: 'Review: the PR' });
});
