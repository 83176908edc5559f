// Worktree tasks against a real git repository: create (outside the repository, new branch, record on disk), carry
// over uncommitted changes only when asked, leave nothing behind on a failure mid-create, commit on the branch, bring
// back all-or-nothing with the conflict check, discard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, tempRepo, treeFingerprint } from '../../helpers/git-repo.js';
import {
  applyTask, commitTask, createWorktreeTask, discardTask, DirtyTreeError, readTaskRecord, taskChanges, updateTaskRecord, WorktreeUnavailableError,
} from '../../../extension/core/worktrees/index.js';

const home = () => mkdtempSync(join(tmpdir(), 'tiller-wt-home-'));
const branches = (repo: string) => git(repo, ['branch', '--format=%(refname:short)']).split('\n').filter(Boolean);

test('a task gets its own branch and worktree under TILLER_HOME; the user tree is untouched; commit, apply', async () => {
  const repo = tempRepo({ 'a.txt': 'one\n', 'b.txt': 'two\n' });
  mkdirSync(join(repo, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
  git(repo, ['add', '.gitignore']);
  git(repo, ['commit', '-qm', 'ignore']);
  const h = home();
  const before = treeFingerprint(repo);
  const record = await createWorktreeTask({ workspace: repo, tillerHome: h, task: 'Change a.txt to ONE, please!' });
  assert.match(record.branch, /^tiller\/[0-9a-f]{8}-change-a-txt-to-one-please$/);
  assert.equal(record.path, join(realpathSync(h), 'worktrees', record.id, 'tree'));
  assert.equal(readTaskRecord(h, record.id).branch, record.branch);
  assert.equal(readFileSync(join(record.path, 'a.txt'), 'utf8'), 'one\n');
  // The ignored build input is there, as a link to the base tree's copy.
  assert.equal(realpathSync(join(record.path, 'node_modules')), realpathSync(join(repo, 'node_modules')));
  assert.ok(branches(repo).includes(record.branch));

  writeFileSync(join(record.path, 'a.txt'), 'ONE\n');
  writeFileSync(join(record.path, 'c.txt'), 'new\n');
  const { commit, files } = await commitTask(record, { coAuthor: 'User <user@example.invalid>' });
  assert.deepEqual(files.sort(), ['a.txt', 'c.txt']);
  assert.ok(commit);
  assert.match(git(repo, ['log', '-1', '--format=%B', record.branch]), /^Change a\.txt to ONE, please!\n[\s\S]*Co-authored-by: User <user@example.invalid>/);
  // node_modules (a link) is not part of the commit.
  assert.doesNotMatch(git(repo, ['show', '--name-only', '--format=', record.branch]), /node_modules/);
  assert.equal(treeFingerprint(repo), before, 'the user tree and index did not change');

  const result = await applyTask(h, readTaskRecord(h, record.id));
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(readFileSync(join(repo, 'a.txt'), 'utf8'), 'ONE\n');
  assert.equal(readFileSync(join(repo, 'c.txt'), 'utf8'), 'new\n');
  assert.equal(readTaskRecord(h, record.id).state, 'applied');
  assert.equal(existsSync(record.path), false, 'the applied task has no worktree left');
});

test('apply refuses with the conflicting files named and writes nothing', async () => {
  const repo = tempRepo({ 'a.txt': 'one\n', 'b.txt': 'two\n' });
  const h = home();
  const record = await createWorktreeTask({ workspace: repo, tillerHome: h, task: 'edit both' });
  writeFileSync(join(record.path, 'a.txt'), 'task a\n');
  writeFileSync(join(record.path, 'b.txt'), 'task b\n');
  const { commit } = await commitTask(record);
  updateTaskRecord(h, record.id, () => ({ state: 'done', ...(commit ? { commit } : {}) }));
  // The user moved on: a commit touching b.txt.
  writeFileSync(join(repo, 'b.txt'), 'user b\n');
  git(repo, ['commit', '-qam', 'user work']);
  const before = treeFingerprint(repo);
  const changes = await taskChanges(readTaskRecord(h, record.id));
  assert.equal(changes.baseMoved, true);
  assert.equal(changes.base, record.baseCommit, 'the merge base is the commit the task started from');
  const result = await applyTask(h, readTaskRecord(h, record.id));
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.conflicts.includes('b.txt'), JSON.stringify(result));
  assert.equal(treeFingerprint(repo), before, 'nothing written on refusal');
  assert.equal(readTaskRecord(h, record.id).state, 'done');
});

test('not a git repository: a plain error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiller-norepo-'));
  await assert.rejects(createWorktreeTask({ workspace: dir, tillerHome: home(), task: 'x' }), (e: Error) => e instanceof WorktreeUnavailableError && /not inside a git repository/.test(e.message));
});

test('a dirty tree: refused unless the user chose; carried over only when chosen, as a commit of its own', async () => {
  const repo = tempRepo({ 'a.txt': 'one\n' });
  writeFileSync(join(repo, 'a.txt'), 'dirty\n');
  writeFileSync(join(repo, 'untracked.txt'), 'u\n');
  git(repo, ['add', 'a.txt']);
  writeFileSync(join(repo, 'a.txt'), 'dirtier\n');
  const before = treeFingerprint(repo);
  const h = home();
  await assert.rejects(createWorktreeTask({ workspace: repo, tillerHome: h, task: 'x' }), (e: Error) => e instanceof DirtyTreeError && /--carry-changes/.test(e.message) && /a\.txt/.test(e.message));
  assert.deepEqual(readdirSync(join(h, 'worktrees')), [], 'nothing created on refusal');

  const without = await createWorktreeTask({ workspace: repo, tillerHome: h, task: 'x', carryChanges: false });
  assert.equal(readFileSync(join(without.path, 'a.txt'), 'utf8'), 'one\n');
  assert.equal(existsSync(join(without.path, 'untracked.txt')), false);

  const carried = await createWorktreeTask({ workspace: repo, tillerHome: h, task: 'y', carryChanges: true });
  assert.equal(readFileSync(join(carried.path, 'a.txt'), 'utf8'), 'dirtier\n');
  assert.equal(readFileSync(join(carried.path, 'untracked.txt'), 'utf8'), 'u\n');
  assert.notEqual(carried.startCommit, carried.baseCommit);
  assert.equal(treeFingerprint(repo), before, 'carrying over copies; the user tree and index stay as they were');

  // The task's own change comes back on top of the carried-over state, which the user tree already holds.
  writeFileSync(join(carried.path, 'a.txt'), 'task\n');
  await commitTask(carried);
  const changes = await taskChanges(readTaskRecord(h, carried.id));
  assert.deepEqual(changes.changeSet.files.map((f) => f.path), ['a.txt']);
  const applied = await applyTask(h, readTaskRecord(h, carried.id));
  assert.equal(applied.ok, true, JSON.stringify(applied));
  assert.equal(readFileSync(join(repo, 'a.txt'), 'utf8'), 'task\n');
});

test('a failure mid-create leaves no worktree, no branch, no folder', async () => {
  const repo = tempRepo({ 'a.txt': 'one\n' });
  writeFileSync(join(repo, 'a.txt'), 'dirty\n');
  const h = home();
  for (const failAt of ['after-worktree', 'after-carry'] as const) {
    await assert.rejects(createWorktreeTask({ workspace: repo, tillerHome: h, task: 'x', carryChanges: true, failAt }), /injected failure/);
    assert.deepEqual(branches(repo), ['main']);
    assert.deepEqual(readdirSync(join(h, 'worktrees')), []);
    assert.equal(git(repo, ['worktree', 'list', '--porcelain']).match(/^worktree /gm)?.length, 1);
  }
});

test('discard removes the worktree, the branch and the record', async () => {
  const repo = tempRepo({ 'a.txt': 'one\n' });
  const h = home();
  const record = await createWorktreeTask({ workspace: repo, tillerHome: h, task: 'x' });
  writeFileSync(join(record.path, 'a.txt'), 'changed\n');
  await commitTask(record);
  await discardTask(h, record);
  assert.deepEqual(branches(repo), ['main']);
  assert.equal(existsSync(record.path), false);
  assert.equal(existsSync(join(h, 'worktrees', record.id)), false);
  assert.equal(git(repo, ['worktree', 'list', '--porcelain']).match(/^worktree /gm)?.length, 1);
});

test('repository hooks do not run for Tiller\'s own git operations', async () => {
  const repo = tempRepo({ 'a.txt': 'one\n' });
  const marker = join(repo, '..', `hook-ran-${Date.now()}`);
  for (const hook of ['post-checkout', 'pre-commit', 'commit-msg', 'post-commit', 'reference-transaction']) {
    writeFileSync(join(repo, '.git', 'hooks', hook), `#!/bin/sh\necho ${hook} >> ${marker}\n`, { mode: 0o755 });
  }
  git(repo, ['config', 'core.fsmonitor', `echo fsmonitor >> ${marker}; false`]);
  const h = home();
  const record = await createWorktreeTask({ workspace: repo, tillerHome: h, task: 'x' });
  writeFileSync(join(record.path, 'a.txt'), 'changed\n');
  await commitTask(record);
  await discardTask(h, record);
  assert.equal(existsSync(marker), false, existsSync(marker) ? readFileSync(marker, 'utf8') : '');
});
