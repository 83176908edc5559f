// The shadow checkpoint repository with real git in temp folders: restores are byte-identical (binary, CRLF, modes,
// files created and deleted by "shell commands"), ignored files are not copied, the user's .git is never touched, and
// a restore after the user committed is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createShadowCheckpointer } from '../../../../extension/core/edits/checkpoints/shadow.js';

function temp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every file under dir (relative path → bytes and mode), skipping the folders named. */
function snapshot(dir: string, skip: string[] = []): Map<string, { bytes: string; mode: number }> {
  const out = new Map<string, { bytes: string; mode: number }>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (skip.includes(rel)) continue;
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.set(rel, { bytes: readFileSync(p).toString('base64'), mode: st.mode & 0o777 });
    }
  };
  walk(dir);
  return out;
}

function userGit(ws: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=U', '-c', 'user.email=u@example.invalid', '-c', 'commit.gpgSign=false', ...args], { cwd: ws, encoding: 'utf8' });
}

function setup(): { ws: string; store: string } {
  const ws = temp('tiller-ws-');
  const store = temp('tiller-store-');
  writeFileSync(join(ws, 'a.txt'), 'line one\r\nline two\r\n');
  writeFileSync(join(ws, 'bin.dat'), Buffer.from([0, 1, 2, 255, 254, 13, 10, 0]));
  writeFileSync(join(ws, 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(ws, 'run.sh'), 0o755);
  mkdirSync(join(ws, 'src'));
  writeFileSync(join(ws, 'src', 'keep.ts'), 'export const x = 1;\n');
  // An attribute that would rewrite line endings if the shadow honoured it.
  writeFileSync(join(ws, '.gitattributes'), '*.txt text eol=lf\n');
  writeFileSync(join(ws, '.gitignore'), 'node_modules/\n');
  mkdirSync(join(ws, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(ws, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;\n');
  return { ws, store };
}

test('restore brings back edits and shell changes byte-identically, and removes created files', async () => {
  const { ws, store } = setup();
  try {
    const before = snapshot(ws);
    const cp = createShadowCheckpointer(ws, { storeDir: store });
    const id = await cp.beforeChange({ kind: 'edit', files: ['a.txt'] });
    assert.ok(id);

    // What an agent (and its shell commands) might do.
    writeFileSync(join(ws, 'a.txt'), 'changed\n');
    writeFileSync(join(ws, 'bin.dat'), Buffer.from([9, 9, 9]));
    chmodSync(join(ws, 'run.sh'), 0o644);
    unlinkSync(join(ws, 'src', 'keep.ts'));
    mkdirSync(join(ws, 'made', 'deep'), { recursive: true });
    writeFileSync(join(ws, 'made', 'deep', 'new.txt'), 'new\n');
    writeFileSync(join(ws, 'node_modules', 'dep', 'index.js'), 'changed by npm\n');

    const result = await cp.restore(id);
    assert.equal(result.ok, true, JSON.stringify(result));
    if (!result.ok) return;
    assert.deepEqual(result.removed, ['made/deep/new.txt']);
    assert.deepEqual([...result.restored].sort(), ['a.txt', 'bin.dat', 'run.sh', 'src/keep.ts']);
    assert.equal(existsSync(join(ws, 'made')), false, 'a folder the agent created is gone with its file');

    const after = snapshot(ws);
    // node_modules is ignored: not copied, so not restored either.
    assert.equal(after.get('node_modules/dep/index.js')?.bytes, Buffer.from('changed by npm\n').toString('base64'));
    after.delete('node_modules/dep/index.js');
    before.delete('node_modules/dep/index.js');
    assert.deepEqual(after, before);
  } finally {
    rmSync(ws, { recursive: true, force: true });
    rmSync(store, { recursive: true, force: true });
  }
});

test('the shadow repository lives in the store, never in the workspace, and ignored files are not copied', async () => {
  const { ws, store } = setup();
  try {
    const cp = createShadowCheckpointer(ws, { storeDir: store });
    await cp.beforeChange({ kind: 'shell', command: 'npm test' });
    assert.ok(cp.gitDir.startsWith(store));
    assert.equal(existsSync(join(ws, '.git')), false, 'no .git was created in the workspace');
    const files = execFileSync('git', ['--git-dir', cp.gitDir, 'ls-tree', '-r', '--name-only', 'HEAD'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.ok(files.includes('a.txt'));
    assert.ok(!files.some((f) => f.startsWith('node_modules/')), files.join(','));
    assert.throws(() => createShadowCheckpointer(ws, { storeDir: join(ws, 'store') }), /inside the workspace/);
  } finally {
    rmSync(ws, { recursive: true, force: true });
    rmSync(store, { recursive: true, force: true });
  }
});

test("the user's .git is untouched by checkpoints and restores", async () => {
  const { ws, store } = setup();
  try {
    userGit(ws, 'init', '-q');
    userGit(ws, 'add', '-A');
    userGit(ws, 'commit', '-qm', 'user commit');
    writeFileSync(join(ws, 'a.txt'), 'uncommitted user change\n');
    const gitBefore = snapshot(join(ws, '.git'));

    const cp = createShadowCheckpointer(ws, { storeDir: store });
    const id = await cp.beforeChange({ kind: 'edit', files: ['a.txt'] });
    assert.ok(id);
    writeFileSync(join(ws, 'a.txt'), 'agent change\n');
    const result = await cp.restore(id);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'uncommitted user change\n');
    assert.deepEqual(snapshot(join(ws, '.git')), gitBefore);
  } finally {
    rmSync(ws, { recursive: true, force: true });
    rmSync(store, { recursive: true, force: true });
  }
});

test('restore is refused with an explanation after the user committed', async () => {
  const { ws, store } = setup();
  try {
    userGit(ws, 'init', '-q');
    userGit(ws, 'add', '-A');
    userGit(ws, 'commit', '-qm', 'first');
    const cp = createShadowCheckpointer(ws, { storeDir: store });
    const id = await cp.beforeChange({ kind: 'edit', files: ['a.txt'] });
    assert.ok(id);
    writeFileSync(join(ws, 'a.txt'), 'agent change\n');
    userGit(ws, 'commit', '-qam', 'user keeps it');

    const result = await cp.restore(id);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /committed to your repository since this checkpoint/);
    assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'agent change\n', 'nothing was restored');
  } finally {
    rmSync(ws, { recursive: true, force: true });
    rmSync(store, { recursive: true, force: true });
  }
});

test('list shows checkpoints newest first with what they cover; unknown ids are refused', async () => {
  const { ws, store } = setup();
  try {
    let t = 1_000;
    const cp = createShadowCheckpointer(ws, { storeDir: store, now: () => (t += 1000) });
    assert.deepEqual(await cp.list(), []);
    const first = await cp.beforeChange({ kind: 'edit', files: ['a.txt', 'src/keep.ts'] });
    const second = await cp.beforeChange({ kind: 'shell', command: 'npm install\nnpm test' });
    const list = await cp.list();
    assert.deepEqual(list.map((c) => c.id), [second, first]);
    assert.equal(list[0]!.summary, 'Before running `npm install npm test`');
    assert.equal(list[1]!.summary, 'Before editing a.txt, src/keep.ts');
    assert.deepEqual(list[1]!.files, ['a.txt', 'src/keep.ts']);
    assert.equal(list[1]!.userHead, null);
    assert.ok(list[0]!.createdAt > list[1]!.createdAt);

    const bad = await cp.restore('not-an-id');
    assert.equal(bad.ok, false);
    const missing = await cp.restore('0'.repeat(40));
    assert.equal(missing.ok, false);
    if (!missing.ok) assert.match(missing.reason, /no checkpoint/);
  } finally {
    rmSync(ws, { recursive: true, force: true });
    rmSync(store, { recursive: true, force: true });
  }
});

test("a restore can itself be undone from the snapshot it saves first", async () => {
  const { ws, store } = setup();
  try {
    const cp = createShadowCheckpointer(ws, { storeDir: store });
    const id = await cp.beforeChange({ kind: 'edit', files: ['a.txt'] });
    writeFileSync(join(ws, 'a.txt'), 'agent change\n');
    const r = await cp.restore(id!);
    assert.equal(r.ok, true);
    if (!r.ok) return;
    const back = await cp.restore(r.backup);
    assert.equal(back.ok, true);
    assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'agent change\n');
  } finally {
    rmSync(ws, { recursive: true, force: true });
    rmSync(store, { recursive: true, force: true });
  }
});

test('two windows on one workspace take checkpoints at the same time without tripping over the shadow index', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'tiller-ws-'));
  const store = join(mkdtempSync(join(tmpdir(), 'tiller-store-')), 'checkpoints');
  writeFileSync(join(ws, 'a.txt'), 'a\n');
  // Two checkpointers = two extension hosts: separate in-process queues, one shadow repository.
  const one = createShadowCheckpointer(ws, { storeDir: store });
  const two = createShadowCheckpointer(ws, { storeDir: store });
  const ids = await Promise.all(
    Array.from({ length: 6 }, (_, i) => {
      writeFileSync(join(ws, `f${i}.txt`), `${i}\n`);
      return (i % 2 ? one : two).beforeChange({ kind: 'shell', command: `step ${i}` });
    }),
  );
  assert.equal(ids.filter((id) => typeof id === 'string').length, 6, 'every checkpoint was taken');
  assert.equal((await one.list()).length, 6);
});
