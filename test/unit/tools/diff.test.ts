import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffLines, splitLines, unifiedDiff } from '../../../mcp-servers/common/diff.js';

/** Applies a unified diff's hunks to `old` (a small checker so tests verify diffs by their effect). */
function applyDiff(old: string, diff: string): string {
  const oldLines = splitLines(old);
  const out: string[] = [];
  let cursor = 0;
  const lines = diff.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(lines[i]!);
    if (!header) continue;
    const start = Number(header[1]) - (header[2] === '0' ? 0 : 1);
    while (cursor < start) out.push(oldLines[cursor++]!);
    for (i++; i < lines.length && /^[ +\-\\]/.test(lines[i]!); i++) {
      const line = lines[i]!;
      const noEol = lines[i + 1] === '\\ No newline at end of file';
      const text = line.slice(1) + (noEol ? '' : '\n');
      if (line[0] === ' ') {
        out.push(oldLines[cursor++]!);
      } else if (line[0] === '-') {
        cursor++;
      } else if (line[0] === '+') {
        out.push(text);
      }
      if (noEol) i++;
    }
    i--;
  }
  while (cursor < oldLines.length) out.push(oldLines[cursor++]!);
  return out.join('');
}

test('equal texts give an empty diff', () => {
  assert.equal(unifiedDiff('a.txt', 'x\ny\n', 'x\ny\n'), '');
});

test('one changed line with 3 lines of context', () => {
  const old = 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n';
  const neu = 'l1\nl2\nl3\nl4\nL5\nl6\nl7\nl8\nl9\n';
  assert.equal(unifiedDiff('f.txt', old, neu), '--- a/f.txt\n+++ b/f.txt\n@@ -2,7 +2,7 @@\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n');
});

test('distant changes make separate hunks, close ones merge', () => {
  const old = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join('');
  const far = old.replace('line 2\n', 'LINE 2\n').replace('line 25\n', 'LINE 25\n');
  assert.equal((unifiedDiff('f', old, far).match(/^@@/gm) ?? []).length, 2);
  const near = old.replace('line 2\n', 'LINE 2\n').replace('line 8\n', 'LINE 8\n');
  assert.equal((unifiedDiff('f', old, near).match(/^@@/gm) ?? []).length, 1);
});

test('new file and deletion headers', () => {
  assert.equal(unifiedDiff('n.txt', null, 'a\nb\n'), '--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  assert.equal(unifiedDiff('n.txt', 'a\n', null), '--- a/n.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n');
});

test('a missing final newline is marked', () => {
  const d = unifiedDiff('f', 'a\nb', 'a\nb\n');
  assert.match(d, /-b\n\\ No newline at end of file\n\+b\n/);
});

test('diffs apply back to the new text (several shapes)', () => {
  const cases: [string, string][] = [
    ['a\nb\nc\n', 'a\nc\n'],
    ['a\nb\nc\n', 'x\na\nb\nc\ny\n'],
    ['', 'only\n'],
    ['one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n', 'one\n2\nthree\nfour\nfive\nsix\nseven\neight\n9\nten\neleven'],
    ['a\r\nb\r\n', 'a\r\nB\r\n'],
  ];
  for (const [old, neu] of cases) assert.equal(applyDiff(old, unifiedDiff('f', old, neu)), neu, JSON.stringify([old, neu]));
});

test('the edit script is minimal for a single insertion in a long file', () => {
  const a = Array.from({ length: 500 }, (_, i) => `${i}\n`);
  const b = [...a.slice(0, 250), 'new\n', ...a.slice(250)];
  const ops = diffLines(a, b);
  assert.equal(ops.filter((o) => o.kind !== ' ').length, 1);
});

test('a rewrite beyond the edit-distance cap is shown as one replaced block that still applies', () => {
  const a = Array.from({ length: 3000 }, (_, i) => `old ${i}\n`).join('');
  const b = Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? `old ${i}\n` : `new ${i}\n`)).join('');
  const d = unifiedDiff('big', a, b);
  assert.equal(applyDiff(a, d), b);
  assert.equal((d.match(/^@@/gm) ?? []).length, 1);
});

test('line ending changes count as changes', () => {
  assert.notEqual(unifiedDiff('f', 'a\r\n', 'a\n'), '');
});
