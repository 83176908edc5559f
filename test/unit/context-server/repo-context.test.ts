// The CLI's in-process RepoContext (extension/cli/repo-context.ts): one build shared by every call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessRepoContext } from '../../../extension/cli/repo-context.js';
import { formatTable } from '../../../extension/cli/context-command.js';
import { fakeBuilder } from './fake-index.js';

test('the index is built once, on first use, and answers rank and repoMap', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'tiller-repo-ctx-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'a.ts'), 'export function alpha() {}\n');
  writeFileSync(join(root, 'b.ts'), 'export function beta() {}\n');
  const builder = fakeBuilder();
  let builds = 0;
  const context = new InProcessRepoContext({ root }, (o) => {
    builds++;
    return builder.build(o);
  });
  assert.equal(builds, 0, 'nothing is built before the first call');
  const [ranked, map] = await Promise.all([context.rank({ text: 'beta' }), context.repoMap({ text: 'alpha' }, 100)]);
  assert.deepEqual(ranked.map((f) => f.path), ['b.ts']);
  assert.deepEqual(map.files.map((f) => f.path), ['a.ts']);
  assert.equal(builds, 1);
});

test('the table lists rank, score and path, then reasons and symbols', () => {
  const text = formatTable([
    { path: 'src/a.ts', score: 1.5, reasons: ['defines alpha (named in the query)'], symbols: [{ name: 'alpha', kind: 'function', line: 3, reasons: [] }] },
    { path: 'src/b.ts', score: 0.25, reasons: [], symbols: [] },
  ]);
  assert.equal(text, '1.    1.500  src/a.ts\n             - defines alpha (named in the query)\n             symbols: alpha:3\n2.    0.250  src/b.ts\n');
  assert.equal(formatTable([]), 'no files matched\n');
});
