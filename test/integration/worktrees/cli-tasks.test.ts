// Worktree tasks end to end: the bundled CLI as child processes, one scripted model server per task, real git, the
// real built-in MCP servers and the real sandbox. Two tasks run at once in their own worktrees; the user's tree and
// index stay byte-identical; each branch holds its task's commit; both come back with `tasks apply`; a third that
// conflicts is refused with the file named and nothing written; `tasks discard` removes worktree and branch.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { Models, runCli } from '../../helpers/cli.js';
import { git, tempRepo, treeFingerprint } from '../../helpers/git-repo.js';
import type { ScriptedReply } from '../../fixtures/model-server.js';

let dist = '';
const models = new Models();
before(async () => {
  dist = await buildBundles();
});
after(() => models.closeAll());

const call = (name: string, args: unknown) => ({ name, arguments: args });
const branches = (repo: string) => git(repo, ['branch', '--format=%(refname:short)']).split('\n').filter(Boolean).sort();
const worktreeCount = (repo: string) => git(repo, ['worktree', 'list', '--porcelain']).match(/^worktree /gm)?.length ?? 0;

interface RunJson { status: string; worktree: { id: string; path: string; branch: string; commit: string | null; state: string } }

function taskScript(file: string, content: string, command: string): ScriptedReply[] {
  return [
    { toolCalls: [call('workspace__propose_edit', { path: file, content })], delayMs: 300 },
    { toolCalls: [call('shell__run_command', { command })], delayMs: 300 },
    { text: `Changed ${file}.`, delayMs: 100 },
  ];
}

test('two worktree tasks at once; the user tree untouched; apply both; a conflicting third refused; discard', async () => {
  const repo = tempRepo({ 'a.txt': 'alpha\n', 'b.txt': 'beta\n', 'c.txt': 'gamma\n' });
  // Project rules only the base tree has (ignored, so not in the worktree): the task must still follow them.
  writeFileSync(join(repo, '.git', 'info', 'exclude'), 'AGENTS.md\n');
  writeFileSync(join(repo, 'AGENTS.md'), 'BASE-TREE-RULE: keep lines short.\n');
  const home = mkdtempSync(join(tmpdir(), 'tiller-wt-home-'));
  const configBefore = readFileSync(join(repo, '.git', 'config'));
  const before = treeFingerprint(repo);

  const mA = await models.start(taskScript('a.txt', 'ALPHA\n', 'echo made > shell-a.txt && git add shell-a.txt && git status --short'));
  const mB = await models.start(taskScript('b.txt', 'BETA\n', 'g=$(git rev-parse --git-common-dir); echo evil >> "$g/config"; echo config-write-rc=$?; echo x > "$g/hooks/pre-commit"; echo hook-write-rc=$?; git status --short'));
  const run = (m: { baseUrl: string }, task: string, extra: string[] = []) =>
    runCli(dist, ['run', task, '--worktree', '--workspace', repo, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all', '--json', ...extra], { home });
  const [rA, rB] = await Promise.all([run(mA, 'Uppercase a.txt'), run(mB, 'Uppercase b.txt')]);
  assert.equal(rA.code, 0, rA.stderr);
  assert.equal(rB.code, 0, rB.stderr);
  const a = (JSON.parse(rA.stdout) as RunJson).worktree;
  const b = (JSON.parse(rB.stdout) as RunJson).worktree;
  assert.match(rA.stderr, new RegExp(`worktree: ${a.path}`));
  assert.match(rA.stderr, new RegExp(`branch: ${a.branch.replace(/[/]/g, '\\/')}`));
  assert.ok(a.path.startsWith(home) || a.path.includes('/worktrees/'), a.path);
  assert.notEqual(a.id, b.id);

  // They really ran at the same time: each one's model calls overlap the other's.
  const span = (m: { requests: { at: number }[] }) => [m.requests[0]!.at, m.requests.at(-1)!.at] as const;
  const [a0, a1] = span(mA);
  const [b0, b1] = span(mB);
  assert.ok(a0 < b1 && b0 < a1, `A ${a0}-${a1}, B ${b0}-${b1}`);

  // The user's tree, index and git config did not change; the base tree's rules reached the model.
  assert.equal(treeFingerprint(repo), before);
  assert.deepEqual(readFileSync(join(repo, '.git', 'config')), configBefore, 'the sandbox kept .git/config read-only');
  assert.match(JSON.stringify(mA.requests[0]!.body.messages), /BASE-TREE-RULE/);
  assert.match(JSON.stringify(mA.requests[0]!.body.messages), /own git worktree/);
  // git worked inside the sandbox (index and objects in the common directory), and the config write was refused.
  const bOutput = JSON.stringify(mB.requests[2]!.body.messages.at(-1));
  assert.match(bOutput, /config-write-rc=1/);
  assert.match(bOutput, /hook-write-rc=1/);
  assert.equal(existsSync(join(repo, '.git', 'hooks', 'pre-commit')), false);

  // Each branch holds its task's commit, with its own files only.
  assert.deepEqual(git(repo, ['show', '--name-only', '--format=%s', a.branch]).trim().split('\n').filter(Boolean), ['Uppercase a.txt', 'a.txt', 'shell-a.txt']);
  assert.deepEqual(git(repo, ['show', '--name-only', '--format=%s', b.branch]).trim().split('\n').filter(Boolean), ['Uppercase b.txt', 'b.txt']);
  assert.equal(git(repo, ['show', `${a.branch}:a.txt`]), 'ALPHA\n');

  const list = await runCli(dist, ['tasks', 'list'], { home });
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, new RegExp(`${a.id}\\s+done`));
  assert.match(list.stdout, new RegExp(`${b.id}\\s+done`));
  const diff = await runCli(dist, ['tasks', 'diff', a.id], { home });
  assert.match(diff.stdout, /^-alpha$/m);
  assert.match(diff.stdout, /^\+ALPHA$/m);

  for (const t of [a, b]) {
    const applied = await runCli(dist, ['tasks', 'apply', t.id], { home });
    assert.equal(applied.code, 0, applied.stderr);
  }
  assert.equal(readFileSync(join(repo, 'a.txt'), 'utf8'), 'ALPHA\n');
  assert.equal(readFileSync(join(repo, 'b.txt'), 'utf8'), 'BETA\n');
  assert.equal(readFileSync(join(repo, 'shell-a.txt'), 'utf8'), 'made\n');

  // A dirty tree (the applied work is not committed yet): refused without a choice, nothing created.
  const mC = await models.start(taskScript('a.txt', 'third\n', 'true'));
  const refusedDirty = await run(mC, 'Rewrite a.txt');
  assert.equal(refusedDirty.code, 2, refusedDirty.stderr);
  assert.match(refusedDirty.stderr, /uncommitted changes.*--carry-changes/s);
  assert.equal(worktreeCount(repo), 1);

  // A third task from the last commit changes a.txt too: apply refuses, names a.txt, writes nothing.
  const rC = await run(mC, 'Rewrite a.txt', ['--no-carry-changes']);
  assert.equal(rC.code, 0, rC.stderr);
  const c = (JSON.parse(rC.stdout) as RunJson).worktree;
  const beforeApply = treeFingerprint(repo);
  const refused = await runCli(dist, ['tasks', 'apply', c.id], { home });
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /nothing was written[\s\S]*\ba\.txt\b/);
  assert.equal(treeFingerprint(repo), beforeApply);

  // The base branch moves: the review shows the merge base, apply still refuses on the conflict.
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-qm', 'user commits the applied work']);
  const moved = await runCli(dist, ['tasks', 'diff', c.id], { home });
  assert.match(moved.stderr, /base branch moved[\s\S]*merge base/);
  const movedBefore = treeFingerprint(repo);
  const refusedAgain = await runCli(dist, ['tasks', 'apply', c.id], { home });
  assert.equal(refusedAgain.code, 1);
  assert.match(refusedAgain.stderr, /\ba\.txt\b/);
  assert.equal(treeFingerprint(repo), movedBefore);

  const discarded = await runCli(dist, ['tasks', 'discard', c.id], { home });
  assert.equal(discarded.code, 0, discarded.stderr);
  assert.equal(existsSync(c.path), false);
  assert.ok(!branches(repo).includes(c.branch));
  assert.equal(worktreeCount(repo), 1);
  const shown = await runCli(dist, ['tasks', 'show', c.id], { home });
  assert.equal(shown.code, 2);
  assert.match(shown.stderr, /there is no task/);
});

test('not a git repository: --worktree says so plainly and starts nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiller-norepo-'));
  writeFileSync(join(dir, 'x.txt'), 'x\n');
  const m = await models.start([{ text: 'never asked' }]);
  const r = await runCli(dist, ['run', 'anything', '--worktree', '--workspace', dir, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not inside a git repository.*without --worktree/);
  assert.equal(m.served(), 0);
});

test('the concurrency limit counts live tasks across processes', async () => {
  const repo = tempRepo({ 'a.txt': 'alpha\n' });
  const home = mkdtempSync(join(tmpdir(), 'tiller-wt-home-'));
  const slow = await models.start([{ text: 'slow', delayMs: 3000 }]);
  const quick = await models.start([{ text: 'never asked' }]);
  const args = (m: { baseUrl: string }) => ['run', 'a task', '--worktree', '--workspace', repo, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all'];
  const env = { TILLER_TASKS_MAX_CONCURRENT: '1' };
  const first = runCli(dist, args(slow), { home, env });
  while (slow.served() === 0) await new Promise((r) => setTimeout(r, 50));
  const second = await runCli(dist, args(quick), { home, env });
  assert.equal(second.code, 2, second.stderr);
  assert.match(second.stderr, /1 worktree task is already running.*limit is 1/);
  assert.equal(quick.served(), 0);
  assert.equal((await first).code, 0);
});

test('a task killed mid-run leaves its worktree resumable and the user tree untouched; resume commits it', async () => {
  const repo = tempRepo({ 'a.txt': 'alpha\n', 'b.txt': 'beta\n' });
  const home = mkdtempSync(join(tmpdir(), 'tiller-wt-home-'));
  const before = treeFingerprint(repo);
  const first = await models.start([
    { toolCalls: [call('workspace__propose_edit', { path: 'a.txt', content: 'ALPHA\n' })] },
    // The process is killed while it waits for this reply.
    { text: 'never seen', delayMs: 60_000 },
  ]);
  const child = spawn(process.execPath, [join(dist, 'cli.js'), 'run', 'Uppercase a and b', '--worktree', '--workspace', repo, '--base-url', first.baseUrl, '--model', 'fixture-large', '--approve', 'all'], {
    env: { PATH: process.env.PATH ?? '', TILLER_HOME: home },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  while (first.served() < 2) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));

  const list = await runCli(dist, ['tasks', 'list', '--json'], { home });
  const [record] = JSON.parse(list.stdout) as { id: string; path: string; branch: string; shownState: string }[];
  assert.ok(record);
  assert.equal(record.shownState, 'stopped (its process is gone)');
  assert.equal(readFileSync(join(record.path, 'a.txt'), 'utf8'), 'ALPHA\n', 'the edit is in the worktree');
  assert.equal(treeFingerprint(repo), before, 'never in the user tree');
  const early = await runCli(dist, ['tasks', 'apply', record.id], { home });
  assert.equal(early.code, 1);
  assert.match(early.stderr, /not committed[\s\S]*tasks resume/);

  const second = await models.start([
    { toolCalls: [call('workspace__propose_edit', { path: 'b.txt', content: 'BETA\n' })] },
    { text: 'Both uppercased.' },
  ]);
  const resumed = await runCli(dist, ['tasks', 'resume', record.id, '--base-url', second.baseUrl, '--model', 'fixture-large', '--approve', 'all'], { home });
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(git(repo, ['show', '--name-only', '--format=%s', record.branch]).trim().split('\n').filter(Boolean), ['Uppercase a and b', 'a.txt', 'b.txt']);
  assert.equal(treeFingerprint(repo), before);
  const applied = await runCli(dist, ['tasks', 'apply', record.id], { home });
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(readFileSync(join(repo, 'b.txt'), 'utf8'), 'BETA\n');
});
