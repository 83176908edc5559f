// .gitignore rules for files that appear after the cold build (extension/context-server/ignore-rules.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitignoreRules } from '../../../extension/context-server/ignore-rules.js';

test('root and nested .gitignore files apply as git applies them', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'tiller-ignore-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, '.gitignore'), 'dist/\n*.log\n/local.ts\n');
  mkdirSync(join(root, 'pkg/logs'), { recursive: true });
  writeFileSync(join(root, 'pkg/.gitignore'), '!keep.log\ngenerated/\n');
  const rules = new GitignoreRules(root);
  const cases: Array<[string, boolean]> = [
    ['src/a.ts', false],
    ['dist/a.js', true],
    ['pkg/dist/deep/a.js', true],
    ['debug.log', true],
    ['pkg/logs/x.log', true],
    ['pkg/keep.log', false],
    ['pkg/generated/g.ts', true],
    ['generated/g.ts', false],
    ['local.ts', true],
    ['pkg/local.ts', false],
    ['.git/config', true],
    ['sub/.hg/store', true],
  ];
  for (const [path, ignored] of cases) assert.equal(await rules.isIgnored(path), ignored, path);
});

test('a forgotten .gitignore is read again', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'tiller-ignore-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const rules = new GitignoreRules(root);
  assert.equal(await rules.isIgnored('out/a.js'), false);
  writeFileSync(join(root, '.gitignore'), 'out/\n');
  assert.equal(await rules.isIgnored('out/a.js'), false, 'cached until told');
  rules.forget('.gitignore');
  assert.equal(await rules.isIgnored('out/a.js'), true);
});
