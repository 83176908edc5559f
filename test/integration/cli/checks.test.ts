// Checks through the bundled CLI: a real tiny node project in a temp folder, the scripted model over HTTP, the real
// built-in servers and the sandbox. What a check reports reaches the model's next request; a failing `done` check
// keeps the task from ending as done; bad checks (hanging, loud, missing, denied, declined) are reported as such.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundles, repoRoot } from '../../helpers/bundles.js';
import { lastMessages, Models, runCli, tempWorkspace } from '../../helpers/cli.js';
import type { ModelServer, ScriptedReply } from '../../fixtures/model-server.js';
import { readTrace } from '../../../extension/core/trace/read.js';
import type { TraceEvent } from '../../../extension/core/trace/events.js';

let dist = '';
const models = new Models();
before(async () => {
  dist = await buildBundles();
});
after(() => models.closeAll());

const call = (name: string, args: unknown) => ({ name, arguments: args });
const edit = (path: string, search: string, replace: string): ScriptedReply => ({ toolCalls: [call('workspace__propose_edit', { path, edits: [{ search, replace }] })] });
const answer = (text: string): ScriptedReply => ({ text });

/** A node project whose `npm test` runs node's own test runner on one test file. */
const NODE_PROJECT = {
  'package.json': JSON.stringify({ name: 'tiny', version: '1.0.0', private: true, scripts: { test: 'node --test --test-reporter=spec test/' } }, null, 2) + '\n',
  'src/sum.js': 'function sum(a, b) {\n  return a + b;\n}\nmodule.exports = { sum };\n',
  'test/sum.test.js': "const test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { sum } = require('../src/sum.js');\n\ntest('adds two numbers', () => {\n  assert.equal(sum(2, 3), 5);\n});\n",
};

async function run(ws: string, script: ScriptedReply[], args: string[], home?: string): Promise<{ code: number | null; stderr: string; outcome: { status: string; summary: string; error?: string }; m: ModelServer; events: TraceEvent[] }> {
  const m = await models.start(script);
  const trace = join(ws, '..', `trace-${Date.now()}-${Math.random().toString(36).slice(2)}.jsonl`);
  const r = await runCli(dist, ['run', 'Do the task', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--trace', trace, '--json', ...args], home ? { home } : {});
  const outcome = JSON.parse(r.stdout || '{}') as { status: string; summary: string; error?: string };
  return { code: r.code, stderr: r.stderr, outcome, m, events: existsSync(trace) ? readTrace(trace).events : [] };
}

const checkEvents = (events: TraceEvent[]) => events.filter((e): e is Extract<TraceEvent, { type: 'check' }> => e.type === 'check');

test('an edit that breaks a test: the next request carries the failing assertion and its file:line; after the fix the check passes and the task is done', async () => {
  const ws = tempWorkspace(NODE_PROJECT);
  const { code, stderr, outcome, m, events } = await run(ws, [
    edit('src/sum.js', 'return a + b;', 'return a - b;'),
    edit('src/sum.js', 'return a - b;', 'return a + b;'),
    answer('sum() adds again; the test passes.'),
  ], ['--approve', 'edits', '--check', 'npm test']);
  assert.equal(code, 0, stderr);
  assert.equal(outcome.status, 'done');
  const told = lastMessages(m);
  // After the breaking edit: the assertion's own message, the values, and where it failed.
  assert.match(told[1]!, /Check "npm test" \(`npm test`\) FAILED: exit code 1/);
  assert.match(told[1]!, /test\/sum\.test\.js:6:10 test "adds two numbers": AssertionError \[ERR_ASSERTION\]: Expected values to be strictly equal:/);
  assert.match(told[1]!, /-1 !== 5/);
  assert.doesNotMatch(told[1]!, new RegExp(ws.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '/test'), 'paths are workspace-relative');
  // The observation is its own user message, after the tool result.
  const msgs = m.requests[1]!.body.messages as { role: string; content: string }[];
  assert.equal(msgs.at(-1)!.role, 'user');
  assert.equal(msgs.at(-2)!.role, 'tool');
  assert.match(told[2]!, /Check "npm test" \(`npm test`\) passed in/);
  // edit, edit, then the done check before the task could end.
  assert.deepEqual(checkEvents(events).map((e) => [e.after, e.status]), [['edit', 'failed'], ['edit', 'passed'], ['done', 'passed']]);
  const failed = checkEvents(events)[0]!;
  assert.equal(failed.exitCode, 1);
  assert.match(failed.output, /Expected values to be strictly equal/);
});

test('a type error with a real tsc check: the next request names the file, line and TS error; fixed, the task is done', async () => {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const ws = tempWorkspace({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'es2020', module: 'commonjs', types: [] }, include: ['src'] }) + '\n',
    'src/double.ts': 'export function double(n: number): number {\n  return n * 2;\n}\n',
    'src/main.ts': "import { double } from './double';\nexport const four: number = double(2);\n",
  });
  const { code, stderr, outcome, m } = await run(ws, [
    edit('src/main.ts', 'double(2)', "double('2')"),
    edit('src/main.ts', "double('2')", 'double(2)'),
    answer('Fixed the argument type.'),
  ], ['--approve', 'edits', '--check', `node ${tsc} --noEmit -p .`, '--check-timeout', '120', '--sandbox-allow-path', join(repoRoot, 'node_modules')]);
  assert.equal(code, 0, stderr);
  assert.equal(outcome.status, 'done');
  const told = lastMessages(m);
  assert.match(told[1]!, /FAILED: exit code 2/);
  assert.match(told[1]!, /- src\/main\.ts:2:36: error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'\./);
  assert.match(told[2]!, /passed in/);
});

test('a hanging check is killed at its deadline and reported as timed out', async () => {
  const ws = tempWorkspace({ 'a.txt': 'one\n' });
  const started = Date.now();
  const { code, stderr, m, events } = await run(ws, [edit('a.txt', 'one', 'two'), answer('ok')], ['--approve', 'edits', '--check', 'echo waiting; sleep 60', '--check-timeout', '1', '--max-steps', '2']);
  assert.ok(Date.now() - started < 30_000, 'the hang did not hold the task');
  assert.equal(code, 1, stderr);
  assert.match(lastMessages(m)[1]!, /TIMED OUT: it was still running after 1\.0 s and was killed/);
  assert.match(lastMessages(m)[1]!, /waiting/);
  const c = checkEvents(events)[0]!;
  assert.equal(c.timedOut, true);
  assert.equal(c.exitCode, null);
});

test('a check that prints megabytes is capped: the model gets a digest, the trace a capped output', async () => {
  const ws = tempWorkspace({ 'a.txt': 'one\n', 'loud.js': "process.stdout.write('x'.repeat(200) + '\\n').toString();\nfor (let i = 0; i < 30000; i++) process.stdout.write(`line ${i} ${'y'.repeat(150)}\\n`);\nconsole.error('src/a.js:3:1 error: the real problem');\nprocess.exitCode = 1;\n" });
  const { m, events } = await run(ws, [edit('a.txt', 'one', 'two'), edit('a.txt', 'two', 'three'), answer('ok')], ['--approve', 'edits', '--check', 'node loud.js', '--max-steps', '2']);
  const told = lastMessages(m)[1]!;
  assert.match(told, /It printed 4\.\d MB; only the start and the end were kept/);
  assert.match(told, /src\/a\.js:3:1/, 'the error at the end survives the cap');
  assert.ok(told.length < 8000, `the digest is ${told.length} characters`);
  const c = checkEvents(events)[0]!;
  assert.equal(c.truncated, true);
  assert.ok(c.outputBytes > 4_000_000);
  assert.ok(c.output.length <= 70_000, `the trace kept ${c.output.length} characters`);
});

test('a check whose command does not exist is reported as not found, and does not hold the task', async () => {
  const ws = tempWorkspace({ 'a.txt': 'one\n' });
  const { code, stderr, outcome, m } = await run(ws, [edit('a.txt', 'one', 'two'), answer('ok')], ['--approve', 'edits', '--check', 'no-such-checker-xyz --all']);
  assert.equal(code, 0, stderr);
  assert.equal(outcome.status, 'done');
  assert.match(lastMessages(m)[1]!, /could not run: no-such-checker-xyz: command not found\. This is a problem with the check's configuration/);
});

test('a --check a deny rule covers is not run, and the model is told why', async () => {
  const ws = tempWorkspace({ 'a.txt': 'one\n', '.tiller/permissions.json': JSON.stringify({ deny: ['shell(touch *)'] }) });
  const { code, stderr, m, events } = await run(ws, [edit('a.txt', 'one', 'two'), answer('ok')], ['--approve', 'edits', '--check', 'touch ran.txt']);
  assert.equal(code, 0, stderr);
  assert.equal(existsSync(join(ws, 'ran.txt')), false, 'the denied check never ran');
  assert.match(lastMessages(m)[1]!, /Check "touch ran.txt" \(`touch ran.txt`\) was NOT RUN: denied by the permission rules \(deny shell\(touch \*\)\)/);
  assert.equal(checkEvents(events)[0]!.status, 'not_run');
});

test('a project check asks like a project command: declined, it is not run (nothing on disk); approved, it runs', async () => {
  const files = { 'a.txt': 'one\n', '.tiller/checks.json': JSON.stringify({ checks: [{ name: 'marker', command: 'touch ran-by-check.txt', after: ['edit'] }] }) };
  const declined = tempWorkspace(files);
  const r1 = await run(declined, [edit('a.txt', 'one', 'two'), edit('a.txt', 'two', 'three'), answer('ok')], ['--approve', 'edits']);
  assert.equal(r1.code, 0, r1.stderr);
  assert.equal(existsSync(join(declined, 'ran-by-check.txt')), false, 'a declined project check never ran');
  assert.match(lastMessages(r1.m)[1]!, /Check "marker" \(`touch ran-by-check.txt`\) was NOT RUN: the user declined to run this project check/);
  assert.match(r1.stderr, /\[approval declined by --approve edits\] run the command: touch ran-by-check\.txt/);
  // Declined once, it is not asked again in the task.
  assert.equal((r1.stderr.match(/approval declined by --approve edits\] run the command: touch/g) ?? []).length, 1);
  assert.match(lastMessages(r1.m)[2]!, /NOT RUN: .*not asked again/);

  const approved = tempWorkspace(files);
  const r2 = await run(approved, [edit('a.txt', 'one', 'two'), answer('ok')], ['--approve', 'all']);
  assert.equal(r2.code, 0, r2.stderr);
  assert.equal(existsSync(join(approved, 'ran-by-check.txt')), true, 'approved, the project check ran');
});

test('a bad checks.json is reported naming the file and field; the task still runs', async () => {
  const ws = tempWorkspace({ 'a.txt': 'one\n', '.tiller/checks.json': JSON.stringify({ checks: [{ name: 'test', command: 'true', after: 'edit' }] }) });
  const { code, stderr, outcome } = await run(ws, [answer('nothing to do')], ['--approve', 'edits']);
  assert.equal(code, 0, stderr);
  assert.equal(outcome.status, 'done');
  assert.match(stderr, /checks\.json: checks\[0\]\.after: .*; its checks do not run/);
});

test('the done-gate: a failing done check does not end as done; at the step limit the task fails (exit 1) naming the check', async () => {
  const ws = tempWorkspace({ 'verify.js': "console.error('verify.js:1:1 error: the release notes are missing');\nprocess.exit(1);\n" });
  mkdirSync(join(ws, '.tiller'));
  writeFileSync(join(ws, '.tiller', 'checks.json'), JSON.stringify({ checks: [{ name: 'release notes', command: 'node verify.js', after: ['done'] }] }));
  const { code, stderr, outcome, m, events } = await run(ws, [answer('All done.'), answer('Done, really.'), answer('Still done.')], ['--approve', 'all', '--max-steps', '3']);
  assert.equal(code, 1, stderr);
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.summary, /the step budget ran out while the done check "release notes" still fails/);
  // The model was sent back each time, with the check's digest.
  assert.equal(m.requests.length, 3);
  assert.match(lastMessages(m)[1]!, /The task does not end as done while it fails/);
  assert.match(lastMessages(m)[1]!, /verify\.js:1:1: error: the release notes are missing/);
  assert.deepEqual(checkEvents(events).map((e) => e.after), ['done', 'done', 'done', 'done']);
});

test('the done-gate lets the task end once the done check passes', async () => {
  const ws = tempWorkspace({ 'notes.md': 'draft\n', 'verify.js': "const fs = require('node:fs');\nif (!fs.readFileSync('notes.md', 'utf8').includes('final')) { console.error('notes.md:1:1 error: not final'); process.exit(1); }\n" });
  const { code, stderr, outcome, m } = await run(ws, [answer('Done.'), edit('notes.md', 'draft', 'final'), answer('Now final.')], ['--approve', 'edits', '--check', 'node verify.js']);
  assert.equal(code, 0, stderr);
  assert.equal(outcome.status, 'done');
  assert.match(lastMessages(m)[1]!, /notes\.md:1:1: error: not final/);
});
