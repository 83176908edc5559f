// The pure parts of diagnostics after edits: what counts as new (by what a diagnostic says, so a moved line is not
// new, and one more of the same is), the compact capped observation, and which files import a changed one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIntroduced, MAX_REPORTED_DIAGNOSTICS, newSince, type NewDiagnostic } from '../../../extension/vscode/diagnostics-after-edits.js';
import { importersAmong } from '../../../extension/vscode/importers.js';

const d = (path: string, line: number, message: string, severity: 'error' | 'warning' = 'error'): NewDiagnostic => ({ path, line, severity, message, source: 'ts', code: '2554' });
const counts = (list: NewDiagnostic[]) => {
  const m = new Map<string, number>();
  for (const x of list) {
    const k = `${x.severity}\u0000${x.source ?? ''}\u0000${x.code ?? ''}\u0000${x.message}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
};

test('new since: a pre-existing problem on a moved line is not new; a second copy of it is', () => {
  const old = [d('b.ts', 3, 'Expected 1 arguments, but got 2.')];
  assert.deepEqual(newSince(counts(old), [d('b.ts', 5, 'Expected 1 arguments, but got 2.')]), []);
  const twice = [d('b.ts', 5, 'Expected 1 arguments, but got 2.'), d('b.ts', 9, 'Expected 1 arguments, but got 2.')];
  assert.deepEqual(newSince(counts(old), twice), [twice[1]]);
  assert.deepEqual(newSince(new Map(), [d('a.ts', 1, 'x', 'warning')]), [d('a.ts', 1, 'x', 'warning')]);
});

test('format: errors first with file:line, severity, source and code; capped with a count of the rest', () => {
  const text = formatIntroduced([d('a.ts', 2, 'unused', 'warning'), d('b.ts', 7, 'Expected 2 arguments, but got 1.')]);
  assert.equal(text.split('\n')[0], 'Diagnostics after your change: it introduced 1 error and 1 warning (problems that were there before are not listed):');
  assert.equal(text.split('\n')[1], '- b.ts:7 error [ts 2554]: Expected 2 arguments, but got 1.');
  assert.equal(text.split('\n')[2], '- a.ts:2 warning [ts 2554]: unused');
  const many = formatIntroduced(Array.from({ length: 50 }, (_, i) => d('c.ts', i + 1, `problem ${i}`)));
  assert.equal(many.split('\n').length, 1 + MAX_REPORTED_DIAGNOSTICS + 1);
  assert.match(many, /\.\.\. and 30 more$/);
  assert.ok(formatIntroduced(Array.from({ length: 20 }, () => d('c.ts', 1, 'y'.repeat(2000)))).length <= 6100);
});

test('importers: relative imports resolved like the index (./x.js for x.ts, index files); packages and others not', () => {
  const files = new Map([
    ['src/util.ts', 'export function add(a: number, b: number) { return a + b; }\n'],
    ['src/main.ts', "import { add } from './util.js';\nadd(1, 2);\n"],
    ['src/deep/use.ts', "import { add } from '../util';\n"],
    ['src/req.js', "const u = require('./util');\n"],
    ['src/other.ts', "import { add } from 'util';\nimport x from './nothing.js';\n"],
    ['lib/index.ts', 'export const y = 1;\n'],
    ['app.ts', "import { y } from './lib';\n"],
  ]);
  assert.deepEqual(importersAmong(['src/util.ts'], files), ['src/deep/use.ts', 'src/main.ts', 'src/req.js']);
  assert.deepEqual(importersAmong(['lib/index.ts'], files), ['app.ts']);
  assert.deepEqual(importersAmong(['src/main.ts'], files), []);
});
