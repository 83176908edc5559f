import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildWorkspaceIndex } from '../../../../extension/core/context/index/workspace-index.js';
import { removeTree, writeTree } from '../../../unit/context/index/tree.js';

let root = '';
afterEach(() => removeTree(root));

const FILES = {
  'src/dates.ts': 'export interface DateParts { y: number }\nexport type Unit = "day";\nexport function parseDate(s: string): DateParts {\n  return { y: Number(s) };\n}\nexport class Calendar {\n  addDays(n: number) { return n; }\n}\n',
  'src/app.js': "const { parseDate } = require('./dates');\nfunction main() { return parseDate('2020'); }\nmodule.exports = { main };\n",
  'tools/report.py': 'import os\n\nclass Report:\n    def render(self):\n        return os.getcwd()\n\ndef build_report():\n    return Report()\n',
  'web/view.tsx': 'export const View = () => <div>{parseDate("1")}</div>;\n',
};

test('definitions in TypeScript, JavaScript, TSX and Python are found with kinds, lines and containers', async () => {
  root = writeTree(FILES);
  const index = await buildWorkspaceIndex({ root });
  assert.deepEqual(index.stats().grammarWarnings, []);
  assert.deepEqual(index.lookupSymbol('parseDate'), [{ name: 'parseDate', kind: 'function', path: 'src/dates.ts', line: 3, endLine: 5 }]);
  assert.equal(index.lookupSymbol('DateParts')[0]?.kind, 'interface');
  assert.equal(index.lookupSymbol('Unit')[0]?.kind, 'type');
  assert.deepEqual(index.lookupSymbol('addDays')[0], { name: 'addDays', kind: 'method', path: 'src/dates.ts', line: 7, endLine: 7, container: 'Calendar' });
  assert.deepEqual(index.lookupSymbol('render')[0], { name: 'render', kind: 'method', path: 'tools/report.py', line: 4, endLine: 5, container: 'Report' });
  assert.equal(index.lookupSymbol('build_report')[0]?.kind, 'function');
  assert.equal(index.lookupSymbol('View')[0]?.path, 'web/view.tsx');
  assert.ok(index.stats().edges >= 2, 'app.js and view.tsx link to dates.ts');
});

test('a grammar that fails to load degrades to lexical ranking with a warning', async () => {
  root = writeTree(FILES);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tiller-no-grammars-'));
  try {
    const index = await buildWorkspaceIndex({ root, grammarsDir: empty });
    const warnings = index.stats().grammarWarnings;
    assert.ok(warnings.length >= 1);
    assert.match(warnings.join('\n'), /lexical/);
    assert.equal(index.stats().symbols, 0);
    assert.deepEqual(index.lookupSymbol('parseDate'), []);
    const ranked = index.rank({ text: 'parseDate returns the wrong year' });
    assert.ok(ranked.some((r) => r.path === 'src/dates.ts'), 'still found by its words');
    assert.ok(ranked.every((r) => r.reasons.every((why) => !why.startsWith('defines'))), 'no symbol reasons without grammars');
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
