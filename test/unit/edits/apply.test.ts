import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createFsEditApplier } from '../../../extension/core/edits/apply.js';
import { sha256Hex } from '../../../extension/core/edits/hash.js';
import type { ChangeSet, FileChange } from '../../../extension/core/edits/types.js';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';

let base: string;
let root: string;

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tiller-edits-')));
  root = path.join(base, 'ws');
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'a1\n');
  fs.writeFileSync(path.join(root, 'src', 'b.ts'), 'b1\n');
  fs.writeFileSync(path.join(root, 'old.txt'), 'old\n');
  fs.writeFileSync(path.join(root, '.env'), 'SECRET=1\n');
  fs.mkdirSync(path.join(base, 'outside'));
  fs.symlinkSync(path.join(base, 'outside'), path.join(root, 'out'));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
const exists = (rel: string) => fs.existsSync(path.join(root, rel));
const hashOf = (rel: string) => sha256Hex(fs.readFileSync(path.join(root, rel)));

function change(rel: string, newContent: string | null, baseHash?: string | null): FileChange {
  return { path: rel, baseHash: baseHash === undefined ? (exists(rel) ? hashOf(rel) : null) : baseHash, newContent, diff: '' };
}

function set(...files: FileChange[]): ChangeSet {
  return { id: 'cs1', files };
}

/** Every file under the root, to prove nothing (not even a temp file) was left behind. */
function tree(dir = root): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? [path.relative(root, p) + '/', ...tree(p)] : [path.relative(root, p)];
  }).sort();
}

describe('createFsEditApplier', () => {
  test('applies modifications, creations (with parent dirs) and deletions together', async () => {
    const result = await createFsEditApplier(root).apply(
      set(change('src/a.ts', 'a2\n'), change('new/deep/c.ts', 'c\n'), change('old.txt', null)),
    );
    assert.deepEqual(result, { ok: true, files: ['src/a.ts', 'new/deep/c.ts', 'old.txt'] });
    assert.equal(read('src/a.ts'), 'a2\n');
    assert.equal(read('new/deep/c.ts'), 'c\n');
    assert.equal(exists('old.txt'), false);
    assert.ok(!tree().some((f) => f.endsWith('.tmp')));
  });

  test('a conflict on the second file writes nothing', async () => {
    const cs = set(change('src/a.ts', 'a2\n'), change('src/b.ts', 'b2\n'), change('fresh.ts', 'f\n'));
    fs.writeFileSync(path.join(root, 'src', 'b.ts'), 'b changed by someone else\n');
    const before = tree();
    const result = await createFsEditApplier(root).apply(cs);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.conflicts.includes('src/b.ts'));
    assert.equal(read('src/a.ts'), 'a1\n');
    assert.deepEqual(tree(), before);
  });

  test('a file created since the proposal (baseHash null) is a conflict', async () => {
    const result = await createFsEditApplier(root).apply(set(change('src/a.ts', 'x', null)));
    assert.ok(!result.ok);
    assert.deepEqual(result.conflicts, ['src/a.ts']);
    assert.equal(read('src/a.ts'), 'a1\n');
  });

  test('a rename failing midway rolls back what was already replaced', async () => {
    let calls = 0;
    const applier = createFsEditApplier(root, {
      fileOps: {
        rename: async (from, to) => {
          if (++calls === 3) throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
          await fs.promises.rename(from, to);
        },
      },
    });
    const before = tree();
    const result = await applier.apply(
      set(change('src/a.ts', 'a2\n'), change('made/here/n.ts', 'n\n'), change('old.txt', null), change('src/b.ts', 'b2\n')),
    );
    assert.ok(!result.ok);
    assert.match(result.error, /simulated.*restored/);
    assert.equal(read('src/a.ts'), 'a1\n');
    assert.equal(read('src/b.ts'), 'b1\n');
    assert.equal(read('old.txt'), 'old\n');
    assert.deepEqual(tree(), before, 'created files, directories and temp files are gone');
  });

  test('a deletion failing midway restores the files before it', async () => {
    const applier = createFsEditApplier(root, { fileOps: { unlink: async () => Promise.reject(new Error('EBUSY: simulated')) } });
    const result = await applier.apply(set(change('src/a.ts', 'a2\n'), change('old.txt', null)));
    assert.ok(!result.ok);
    assert.equal(read('src/a.ts'), 'a1\n');
    assert.equal(read('old.txt'), 'old\n');
  });

  test('the file mode is kept', { skip: process.platform === 'win32' }, async () => {
    fs.chmodSync(path.join(root, 'src', 'a.ts'), 0o751);
    const result = await createFsEditApplier(root).apply(set(change('src/a.ts', 'a2\n')));
    assert.ok(result.ok);
    assert.equal(fs.statSync(path.join(root, 'src', 'a.ts')).mode & 0o777, 0o751);
  });

  test('CRLF and BOM are written verbatim', async () => {
    const content = '\uFEFFline1\r\nline2\r\n';
    const result = await createFsEditApplier(root).apply(set(change('src/a.ts', content)));
    assert.ok(result.ok);
    assert.deepEqual(fs.readFileSync(path.join(root, 'src', 'a.ts')), Buffer.from(content, 'utf8'));
  });

  test('a write denied by policy at apply time aborts the whole set', async () => {
    const policy = createPolicyEngine({ workspaceRoots: [root], userRules: { allow: ['write(**)'] }, caseInsensitive: false });
    const result = await createFsEditApplier(root, { policy }).apply(set(change('src/a.ts', 'a2\n'), change('.env', 'SECRET=2\n')));
    assert.ok(!result.ok);
    assert.match(result.error, /\.env.*denied/);
    assert.equal(read('src/a.ts'), 'a1\n');
    assert.equal(read('.env'), 'SECRET=1\n');
  });

  test('paths that leave the root are refused', async () => {
    for (const bad of ['../escape.txt', 'out/x.txt', path.join(root, 'src', 'a.ts'), 'src/\u202Ex.ts', '']) {
      const result = await createFsEditApplier(root).apply(set(change(bad, 'x', null)));
      assert.ok(!result.ok, `${bad} should be refused`);
    }
    assert.deepEqual(fs.readdirSync(path.join(base, 'outside')), []);
    assert.equal(fs.existsSync(path.join(base, 'escape.txt')), false);
  });

  test('deleting a symlink is refused rather than deleting its target', async () => {
    fs.symlinkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'src', 'alias.ts'));
    const result = await createFsEditApplier(root).apply(set(change('src/alias.ts', null)));
    assert.ok(!result.ok);
    assert.match(result.error, /symbolic link/);
    assert.equal(read('src/a.ts'), 'a1\n');
  });

  test('writing through a symlink inside the root writes its target', async () => {
    fs.symlinkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'src', 'alias.ts'));
    const result = await createFsEditApplier(root).apply(set(change('src/alias.ts', 'a2\n')));
    assert.ok(result.ok);
    assert.equal(read('src/a.ts'), 'a2\n');
    assert.ok(fs.lstatSync(path.join(root, 'src', 'alias.ts')).isSymbolicLink());
  });

  test('the same file twice is refused', async () => {
    const result = await createFsEditApplier(root).apply(set(change('src/a.ts', 'x'), change('src/./a.ts', 'y')));
    assert.ok(!result.ok);
    assert.match(result.error, /twice/);
  });
});
