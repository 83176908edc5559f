import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPathGuard, isInside, PathGuardError, type PathGuard } from '../../../mcp-servers/common/path-guard.js';

let base: string;
let root: string;
let guard: PathGuard;

before(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'tiller-guard-')));
  root = join(base, 'app');
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(join(base, 'app_evil'));
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(root, 'src', 'a.ts'), 'x');
  writeFileSync(join(base, 'app_evil', 'secret'), 's');
  writeFileSync(join(base, 'outside', 'secret'), 's');
  symlinkSync(join(base, 'outside'), join(root, 'link-out'));
  symlinkSync(join(base, 'outside', 'secret'), join(root, 'file-link-out'));
  symlinkSync(join(root, 'src'), join(root, 'link-in'));
  guard = await createPathGuard(root);
});

after(() => rmSync(base, { recursive: true, force: true }));

test('resolves a path inside the root to its real and relative forms', async () => {
  const p = await guard.resolve('src/a.ts');
  assert.deepEqual(p, { abs: join(root, 'src', 'a.ts'), rel: 'src/a.ts', exists: true });
  assert.equal((await guard.resolve('.')).rel, '.');
  assert.equal((await guard.resolve('src/../src/a.ts')).rel, 'src/a.ts');
});

test('refuses .. escapes and absolute paths', async () => {
  await assert.rejects(guard.resolve('../outside/secret'), /outside the workspace root/);
  await assert.rejects(guard.resolve('src/../../outside/secret'), /outside the workspace root/);
  await assert.rejects(guard.resolve(join(root, 'src', 'a.ts')), /absolute paths are not allowed/);
  await assert.rejects(guard.resolve('/etc/passwd'), PathGuardError);
});

test('refuses the sibling-prefix trick (/w/app vs /w/app_evil)', async () => {
  await assert.rejects(guard.resolve('../app_evil/secret'), /outside the workspace root/);
  assert.equal(isInside('/w/app', '/w/app_evil/x'), false);
  assert.equal(isInside('/w/app', '/w/app/x'), true);
  assert.equal(isInside('/w/app', '/w/app'), true);
});

test('refuses symlinks that point outside, follows ones that stay inside', async () => {
  await assert.rejects(guard.resolve('link-out/secret'), /through a symlink/);
  await assert.rejects(guard.resolve('file-link-out'), /through a symlink/);
  assert.equal((await guard.resolve('link-in/a.ts')).rel, 'src/a.ts');
});

test('new files: checks the deepest existing ancestor', async () => {
  const fresh = await guard.resolve('src/new/deeper/file.ts');
  assert.deepEqual(fresh, { abs: join(root, 'src', 'new', 'deeper', 'file.ts'), rel: 'src/new/deeper/file.ts', exists: false });
  await assert.rejects(guard.resolve('link-out/new-file.txt'), /symlink that leads outside/);
  await assert.rejects(guard.resolve('link-out/a/b/c.txt'), /symlink that leads outside/);
});

test('rejects empty paths and NUL bytes with a reason', async () => {
  await assert.rejects(guard.resolve(''), /path is empty/);
  await assert.rejects(guard.resolve('src/a\0.ts'), /NUL byte/);
});

test('a missing root is a clear error', async () => {
  await assert.rejects(createPathGuard(join(base, 'nope')), /does not exist/);
});
