import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { isInside, resolveForPolicy, suspiciousPathReason } from '../../../extension/core/policy/paths.js';
import { makeWorkspace } from './workspace.js';

const ws = makeWorkspace();
after(() => ws.cleanup());

describe('resolveForPolicy', () => {
  test('relative input is resolved against the first root', () => {
    const r = resolveForPolicy([ws.root], 'src/./a.ts');
    assert.ok(r.ok);
    assert.equal(r.relative, 'src/a.ts');
  });
  test('symlinks are followed to their target', () => {
    const r = resolveForPolicy([ws.root], 'src/link-env');
    assert.ok(r.ok);
    assert.equal(r.relative, '.env');
  });
  test('a non-existent tail is appended to the deepest existing real ancestor', () => {
    const r = resolveForPolicy([ws.root], 'out-link/new/file.txt');
    assert.ok(r.ok);
    assert.equal(r.root, undefined);
    assert.equal(r.absolute, path.join(ws.evil, 'new', 'file.txt'));
  });
  test('`..` after a symlink is physical, as the kernel sees it', () => {
    const r = resolveForPolicy([ws.root], 'out-link/../app/src/a.ts');
    assert.ok(r.ok);
    assert.equal(r.relative, 'src/a.ts');
  });
  test('prefix sibling is outside', () => {
    assert.equal(isInside('/w/app', '/w/app_evil/x'), false);
    assert.equal(isInside('/w/app', '/w/app/x'), true);
    assert.equal(isInside('/w/app', '/w/app'), true);
  });
  test('nested roots: the deepest wins', () => {
    const r = resolveForPolicy([ws.root, path.join(ws.root, 'src')], path.join(ws.root, 'src', 'a.ts'));
    assert.ok(r.ok);
    assert.equal(r.relative, 'a.ts');
  });
  test('look-alike characters are refused', () => {
    for (const bad of ['a\uFF0Fb', 'a\u202Eb', 'a\0b', 'a\u200Bb', 'a\uFF0E\uFF0E/b']) {
      const r = resolveForPolicy([ws.root], bad);
      assert.equal(r.ok, false, JSON.stringify(bad));
    }
  });
  test('case-insensitive containment keeps the original spelling', () => {
    const r = resolveForPolicy([ws.root], path.join(ws.root.toUpperCase(), 'X.TXT'), { caseInsensitive: true });
    assert.ok(r.ok);
    assert.equal(r.relative, 'X.TXT');
  });
});

describe('suspiciousPathReason', () => {
  test('/proc is refused', () => assert.match(suspiciousPathReason('/proc/self/cwd/.env') ?? '', /proc/));
  test('Windows name tricks', () => {
    assert.ok(suspiciousPathReason('C:\\w\\credentials.json.', 'win32'));
    assert.ok(suspiciousPathReason('C:\\w\\a.txt:secret', 'win32'));
    assert.ok(suspiciousPathReason('C:\\w\\CREDEN~1.JSO', 'win32'));
    assert.equal(suspiciousPathReason('C:\\w\\src\\..\\a.ts', 'win32'), undefined);
    assert.equal(suspiciousPathReason('/w/a.txt.', 'linux'), undefined);
  });
});
