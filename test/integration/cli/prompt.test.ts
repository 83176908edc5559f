// What a person at the terminal sees and does with `tiller run --approve ask`: Ctrl+C at the approval prompt (a real
// SIGINT, and a real pty where `script` exists) exits 130 as the README says and runs nothing; the output of an
// approved command is printed; an empty or too long task is refused with exit 2 before any model call; a failure's
// sentence is printed once. The bundled CLI as a child process, the fixture model over HTTP, the real shell server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { Models, runCli, tempWorkspace } from '../../helpers/cli.js';
import { MAX_TASK_CHARS } from '../../../extension/core/agent/task-limit.js';

let dist = '';
const models = new Models();
before(async () => {
  dist = await buildBundles();
});
after(() => models.closeAll());

const PROMPT = /Approve\? \[y\]es/;
const call = (name: string, args: unknown) => ({ name, arguments: args });

function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', TILLER_HOME: mkdtempSync(join(tmpdir(), 'tiller-home-')) };
}

/** Starts the CLI with stdin held open (a person who has not answered yet); resolves once the prompt is printed. */
function startAtPrompt(args: string[]) {
  const child = spawn(process.execPath, [join(dist, 'cli.js'), ...args], { env: baseEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const prompted = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (PROMPT.test(stderr)) resolve();
    });
    child.on('close', (code) => reject(new Error(`exited ${code} before the prompt:\n${stderr}`)));
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, prompted, closed, output: () => ({ stdout, stderr }) };
}

test('Ctrl+C (SIGINT) while the approval prompt waits exits 130 and runs nothing', { timeout: 60_000 }, async () => {
  const ws = tempWorkspace({ 'keep.txt': 'keep\n' });
  const m = await models.start([{ toolCalls: [call('shell__run_command', { command: 'rm keep.txt' })] }, { text: 'should not be reached' }]);
  const run = startAtPrompt(['run', 'remove the file', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'ask']);
  await run.prompted;
  run.child.kill('SIGINT');
  const code = await run.closed;
  assert.equal(code, 130, run.output().stderr);
  assert.ok(existsSync(join(ws, 'keep.txt')), 'the command waiting for approval did not run');
  assert.doesNotMatch(run.output().stderr, /declined/, 'an interrupt is not reported as a declined approval');
});

test('Ctrl+C typed on a real terminal (pty) at the prompt exits 130', { timeout: 60_000, skip: spawnSync('script', ['--version']).status === 0 ? false : 'no `script` for a pty' }, async () => {
  const ws = tempWorkspace({ 'keep.txt': 'keep\n' });
  const m = await models.start([{ toolCalls: [call('shell__run_command', { command: 'rm keep.txt' })] }, { text: 'should not be reached' }]);
  const cli = ['run', 'remove the file', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'ask'];
  const command = [process.execPath, join(dist, 'cli.js'), ...cli].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // `script` runs the CLI on a new pty; a ^C written to it is turned into SIGINT by the terminal, as when typed.
  const child = spawn('script', ['-qefc', command, '/dev/null'], { env: baseEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let seen = '';
  const prompted = new Promise<void>((resolve) => {
    const look = (d: Buffer): void => {
      seen += d.toString();
      if (PROMPT.test(seen)) resolve();
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await prompted;
  child.stdin.write('\x03');
  assert.equal(await closed, 130, seen);
  assert.ok(existsSync(join(ws, 'keep.txt')));
});

test('the output of an approved command is printed under it', { timeout: 60_000 }, async () => {
  const ws = tempWorkspace({ 'notes.txt': 'first line\nsecond line\n' });
  const m = await models.start([{ toolCalls: [call('shell__run_command', { command: 'cat notes.txt' })] }, { text: 'Read it.' }]);
  const r = await runCli(dist, ['run', 'show the notes', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'ask'], { stdin: 'y\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /\n {2}\| .*first line\n {2}\| .*second line\n/, r.stderr);
});

test('an empty task and a task over the limit are refused with exit 2 before any model call', { timeout: 60_000 }, async () => {
  const ws = tempWorkspace({ 'a.txt': 'a\n' });
  const m = await models.start([{ text: 'never' }]);
  const common = ['--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large'];
  const empty = await runCli(dist, ['run', '', ...common]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /the task is empty/);
  assert.doesNotMatch(empty.stderr, /arguments/);

  // One argument can be at most 128 KiB on Linux (MAX_ARG_STRLEN), so the argument case is just over the limit.
  const tooLong = await runCli(dist, ['run', 'x'.repeat(120_000), ...common]);
  assert.equal(tooLong.code, 2);
  assert.match(tooLong.stderr, /the task: The task is 120,000 characters long; Tiller takes at most 100,000 characters\. Nothing was sent\./);
  assert.equal(MAX_TASK_CHARS, 100_000);

  const file = join(mkdtempSync(join(tmpdir(), 'tiller-task-')), 'task.md');
  writeFileSync(file, 'y'.repeat(150_000));
  const fromFile = await runCli(dist, ['run', '--task-file', file, ...common]);
  assert.equal(fromFile.code, 2);
  assert.match(fromFile.stderr, /the task file .*task\.md: The task is 150,000 characters long/);
  assert.equal(m.served(), 0, 'nothing reached the model');
});

test('a failed task prints its error sentence once', { timeout: 60_000 }, async () => {
  const ws = tempWorkspace({ 'a.txt': 'a\n' });
  const m = await models.start([{ fault: { type: 'status', status: 400, message: 'the context window of fixture-large is 8 tokens' } }]);
  const r = await runCli(dist, ['run', 'do it', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large'], { env: { TILLER_MAX_RETRIES: '0' } });
  assert.notEqual(r.code, 0);
  const times = r.stderr.split('the context window of fixture-large is 8 tokens').length - 1;
  assert.equal(times, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /raise the budget/);
});
