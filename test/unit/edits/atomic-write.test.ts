import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../extension/core/edits/atomic-write.js';
import { sha256Hex } from '../../../extension/core/edits/hash.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiller-atomic-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  test('creates a file and leaves no temp file', async () => {
    const p = path.join(dir, 'a.txt');
    await writeFileAtomic(p, 'hello');
    assert.equal(fs.readFileSync(p, 'utf8'), 'hello');
    assert.deepEqual(fs.readdirSync(dir), ['a.txt']);
  });

  test('replaces a file keeping its mode', { skip: process.platform === 'win32' }, async () => {
    const p = path.join(dir, 'run.sh');
    fs.writeFileSync(p, 'old');
    fs.chmodSync(p, 0o700);
    await writeFileAtomic(p, Buffer.from([0, 1, 2, 255]));
    assert.deepEqual([...fs.readFileSync(p)], [0, 1, 2, 255]);
    assert.equal(fs.statSync(p).mode & 0o777, 0o700);
  });

  test('an explicit mode wins', { skip: process.platform === 'win32' }, async () => {
    const p = path.join(dir, 'b.txt');
    await writeFileAtomic(p, 'x', { mode: 0o640 });
    assert.equal(fs.statSync(p).mode & 0o777, 0o640);
  });

  test('a missing directory is an error and leaves nothing behind', async () => {
    await assert.rejects(writeFileAtomic(path.join(dir, 'nope', 'c.txt'), 'x'), /ENOENT/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});

describe('sha256Hex', () => {
  test('known value, same for string and bytes', () => {
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(sha256Hex(Buffer.from('abc')), sha256Hex('abc'));
  });
});
