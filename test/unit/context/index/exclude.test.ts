import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExcludes } from '../../../../extension/core/context/index/exclude.js';

test('excludes match a path or any folder above it, with a leading slash allowed', () => {
  const excluded = compileExcludes(['**/node_modules', '/build', '**/*.min.js']);
  assert.equal(excluded('node_modules/x/index.js'), true);
  assert.equal(excluded('pkg/node_modules/y.js'), true);
  assert.equal(excluded('build/out.js'), true);
  assert.equal(excluded('src/build.js'), false);
  assert.equal(excluded('web/app.min.js'), true);
  assert.equal(excluded('src/app.js'), false);
});

// A hang guard, not a speed measure: with minimatch's backtracking regular expressions such a match takes seconds.
test('a hostile exclude glob from workspace settings cannot stall the walk, and a bad one is reported', { timeout: 20_000 }, () => {
  const bad: string[] = [];
  const excluded = compileExcludes(['**/**/**/**/**/*a*a*a*a*a*a*a*a*a*b', ''], (p) => bad.push(p));
  const longPath = `${'a'.repeat(60)}/`.repeat(12) + 'a'.repeat(200);
  assert.equal(excluded(longPath), false);
  assert.deepEqual(bad, ['']);
});
