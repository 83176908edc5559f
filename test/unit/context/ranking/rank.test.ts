import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkspaceIndex } from '../../../../extension/core/context/index/workspace-index.js';
import { estimateTokens } from '../../../../extension/core/model/tokens.js';
import { removeTree, writeTree } from '../index/tree.js';

let root = '';
afterEach(() => removeTree(root));

const FILES = {
  'src/index.js': "import { toUtc } from './plugin/utc/index.js';\nexport function createDate(input) { return { input }; }\nexport function formatDate(d) { return String(d.input); }\n",
  'src/plugin/utc/index.js': "import { createDate } from '../../index.js';\nexport function toUtc(d) { return createDate(d.input); }\n",
  'src/plugin/duration/index.js': 'export function humanize(ms) { return `${ms} ms`; }\n',
  'src/locale/fr.js': 'export const months = ["janvier"];\n',
  'test/plugin/utc.test.js': "import { toUtc } from '../../src/plugin/utc/index.js';\ntest('utc', () => toUtc({ input: 1 }));\n",
  'docs/utc.md': '# The utc plugin\nCall toUtc.\n',
};

test('a file whose path and definitions the query names ranks above its test and docs, with reasons', async () => {
  root = writeTree(FILES);
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: 'The utc plugin: `toUtc()` loses the offset', top: 5 });
  assert.equal(ranked[0]?.path, 'src/plugin/utc/index.js');
  assert.ok(ranked[0]!.reasons.some((r) => r.startsWith('path matches')));
  assert.ok(ranked[0]!.reasons.some((r) => r.includes('defines `toUtc`')));
  assert.equal(ranked[0]!.symbols[0]?.name, 'toUtc');
  const testPos = ranked.findIndex((r) => r.path === 'test/plugin/utc.test.js');
  assert.ok(testPos === -1 || testPos > 0);
  const testEntry = ranked[testPos];
  if (testEntry) assert.ok(testEntry.reasons.some((r) => r.startsWith('down-weighted')));
});

test('a stack frame names the file and the symbol at its line', async () => {
  root = writeTree(FILES);
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: 'TypeError: cannot read input\n    at humanize (src/plugin/duration/index.js:1:40)' });
  assert.equal(ranked[0]?.path, 'src/plugin/duration/index.js');
  assert.ok(ranked[0]!.reasons.some((r) => r.startsWith('in the stack trace')));
  assert.equal(ranked[0]!.symbols[0]?.name, 'humanize');
});

test('editor signals raise files and say so', async () => {
  root = writeTree(FILES);
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({
    text: 'months are wrong',
    activeFile: 'src/index.js',
    diagnostics: [{ path: 'src/plugin/duration/index.js', line: 1, message: 'x', severity: 'error' }],
  });
  const reasons = new Map(ranked.map((r) => [r.path, r.reasons]));
  assert.ok(reasons.get('src/index.js')?.includes('active editor'));
  assert.ok(reasons.get('src/plugin/duration/index.js')?.includes('has errors'));
});

test('an incremental update changes the ranking without a rebuild, and a delete removes the file', async () => {
  root = writeTree(FILES);
  const index = await buildWorkspaceIndex({ root });
  assert.notEqual(index.rank({ text: 'weekStartsOn is ignored by `startOfWeek`' })[0]?.path, 'src/locale/fr.js');
  index.update('src/locale/fr.js', 'export const weekStartsOn = 1;\nexport function startOfWeek(d) { return d; }\n');
  const after = index.rank({ text: 'weekStartsOn is ignored by `startOfWeek`' });
  assert.equal(after[0]?.path, 'src/locale/fr.js');
  assert.deepEqual(index.lookupSymbol('startOfWeek').map((s) => s.path), ['src/locale/fr.js']);
  index.update('src/locale/fr.js', null);
  assert.ok(!index.rank({ text: 'weekStartsOn startOfWeek' }).some((r) => r.path === 'src/locale/fr.js'));
  assert.deepEqual(index.lookupSymbol('startOfWeek'), []);
  index.update('src/new.js', 'export function brandNew() {}\n');
  assert.equal(index.lookupSymbol('brandNew')[0]?.path, 'src/new.js');
});

test('the graph links a file to what it uses: PageRank lifts an unnamed dependency', async () => {
  root = writeTree(FILES);
  const index = await buildWorkspaceIndex({ root });
  const ranked = index.rank({ text: '`toUtc` gives the wrong result', top: 10 });
  const core = ranked.find((r) => r.path === 'src/index.js');
  assert.ok(core, 'src/index.js is reached through the graph');
  assert.ok(core.reasons.some((r) => r.startsWith('pagerank') && r.includes('used by 1 top file')), core.reasons.join('; '));
});

test('the repo map lists the top files with signatures within the token budget', async () => {
  root = writeTree(FILES);
  const index = await buildWorkspaceIndex({ root });
  const map = index.repoMap({ text: 'utc plugin toUtc' }, 60);
  assert.ok(map.tokens <= 60);
  assert.equal(map.tokens, estimateTokens(map.text));
  assert.match(map.text, /src\/plugin\/utc\/index\.js:\n.*export function toUtc/);
  const tiny = index.repoMap({ text: 'utc plugin toUtc' }, 3);
  assert.ok(tiny.tokens <= 3);
});

test('past the memory ceiling contents are dropped, ranking still works, and stats say so', async () => {
  root = writeTree(FILES);
  const index = await buildWorkspaceIndex({ root, memoryCeilingBytes: 1 });
  assert.equal(index.stats().contentsDropped, true);
  assert.equal(index.contentOf('src/index.js'), undefined);
  assert.equal(index.rank({ text: '`toUtc`' })[0]?.path, 'src/plugin/utc/index.js');
});
