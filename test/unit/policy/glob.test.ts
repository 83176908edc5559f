import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { minimatch } from 'minimatch';
import { compileGlob, matchGlob } from '../../../extension/core/policy/glob.js';

const patterns = [
  '**', '*', '*.ts', 'src/**', 'src/**/*.ts', '**/.env*', '**/*.pem', '.git/**', 'a/**/b', 'a/*/b', '?.md',
  '[abc].txt', '[!a]*.js', 'src/{a,b}.ts', '**/.ssh/**', '**/secrets.*', 'a/b', 'x/**/y/**/z', '*.{js,ts}',
];
const paths = [
  'a', 'a.ts', 'src/a.ts', 'src/deep/b.ts', '.env', 'x/.env.local', 'k/server.pem', '.git', '.git/config', 'a/b',
  'a/x/y/b', 'a/x/b', 'b.md', 'c.txt', 'd.txt', 'b.js', 'src/b.ts', 'src/c.ts', 'h/.ssh/id', 'secrets.json',
  'x/1/y/2/z', 'x/y/z', 'README.md',
];

describe('glob matching agrees with minimatch (dot: true)', () => {
  for (const p of patterns) {
    test(p, () => {
      const g = compileGlob(p);
      for (const path of paths) {
        assert.equal(matchGlob(g, { relative: path }, false), minimatch(path, p, { dot: true }), `${p} vs ${path}`);
      }
    });
  }
  test('nocase', () => {
    assert.equal(matchGlob(compileGlob('**/.env*'), { relative: 'A/.ENV' }, true), true);
    assert.equal(matchGlob(compileGlob('**/.env*'), { relative: 'A/.ENV' }, false), false);
  });
  test('absolute patterns match the absolute path', () => {
    assert.equal(matchGlob(compileGlob('/etc/**'), { absolute: '/etc/passwd' }, false), true);
    assert.equal(matchGlob(compileGlob('/etc/**'), { relative: 'etc/passwd' }, false), false);
  });
});
