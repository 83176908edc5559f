import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { walkWorkspace } from '../../../../extension/core/context/index/walk.js';
import { buildWorkspaceIndex } from '../../../../extension/core/context/index/workspace-index.js';
import { removeTree, writeTree } from '../../../unit/context/index/tree.js';

let root = '';
afterEach(() => removeTree(root));

test('the walk honours root and nested .gitignore files, negations, and exclude globs, and skips .git', async () => {
  root = writeTree({
    '.gitignore': 'build/\n*.log\n',
    'src/a.ts': 'export const a = 1;\n',
    'src/debug.log': 'x',
    'build/out.js': 'x',
    'pkg/.gitignore': 'generated/\n!keep.log\n',
    'pkg/generated/g.ts': 'x',
    'pkg/keep.log': 'kept by a nested negation',
    'pkg/lib.ts': 'x',
    'vendor/v.js': 'x',
    '.git/config': 'x',
  });
  const { files } = await walkWorkspace(root, { maxFiles: 1000, exclude: ['vendor'] });
  assert.deepEqual(files.sort(), ['.gitignore', 'pkg/.gitignore', 'pkg/keep.log', 'pkg/lib.ts', 'src/a.ts']);
});

test('a symlink loop is reported and never followed; a link escaping the workspace is not read', async () => {
  root = writeTree({ 'src/a.ts': 'x', 'outside/secret.txt': 'secret' });
  fs.symlinkSync(root, path.join(root, 'src', 'loop'));
  const ws = path.join(root, 'src');
  fs.symlinkSync(path.join(root, 'outside', 'secret.txt'), path.join(ws, 'secret-link.txt'));
  const { files, skipped } = await walkWorkspace(ws, { maxFiles: 1000 });
  assert.deepEqual(files, ['a.ts']);
  assert.deepEqual(skipped, [{ path: 'loop', reason: 'symlink_loop' }]);
});

test('the file budget stops the walk and says so', async () => {
  root = writeTree(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${String(i).padStart(2, '0')}.ts`, 'x'])));
  const { files, skipped } = await walkWorkspace(root, { maxFiles: 10 });
  assert.equal(files.length, 10);
  assert.equal(skipped[0]?.reason, 'budget');
});

test('binary, huge, minified and non-UTF-8 files are skipped with their reason', async () => {
  root = writeTree({
    'ok.js': 'export function ok() { return 1; }\n',
    'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]),
    'huge.js': `// ${'a'.repeat(2000)}\n`.repeat(10),
    'bundle.js': `var a=1;${'function f(){return 1};'.repeat(400)}`,
    'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
  });
  const index = await buildWorkspaceIndex({ root, maxFileBytes: 10_000 });
  const reasons = Object.fromEntries(index.stats().skipped.map((s) => [s.path, s.reason]));
  assert.deepEqual(reasons, { 'image.png': 'binary', 'huge.js': 'too_large', 'bundle.js': 'minified', 'latin1.txt': 'not_utf8' });
  assert.equal(index.stats().files, 1);
});

test('cancellation stops a build with the abort reason', async () => {
  root = writeTree(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`d${i % 10}/f${i}.ts`, `export const v${i} = ${i};\n`])));
  const controller = new AbortController();
  controller.abort(new Error('stopped by the test'));
  await assert.rejects(buildWorkspaceIndex({ root, signal: controller.signal }), /stopped by the test/);
});

test('cancellation mid-build stops it at the next check', async () => {
  root = writeTree(Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`d${i % 10}/f${i}.ts`, `export const v${i} = ${i};\n`])));
  const controller = new AbortController();
  const build = buildWorkspaceIndex({
    root,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.phase === 'walk') controller.abort(new Error('cancelled while walking'));
    },
  });
  await assert.rejects(build, /cancelled while walking/);
});
