// `tiller run` end to end: the bundled CLI as a child process, the real fixture model over HTTP, the real built-in
// MCP servers over stdio, real files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { runCli, tempWorkspace } from '../../helpers/cli.js';
import { startModelServer, type ModelServer, type ScriptedReply } from '../../fixtures/model-server.js';
import { readTrace } from '../../../extension/core/trace/read.js';
import { summarizeTrace } from '../../../extension/core/trace/summary.js';

let dist = '';
const servers: ModelServer[] = [];
before(async () => {
  dist = await buildBundles();
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const PRICES = { 'fixture-large': { inputPerMTok: 3, outputPerMTok: 15 }, 'fixture-small': { inputPerMTok: 0.5, outputPerMTok: 2 } };

const workspace = (files: Record<string, string>): string => tempWorkspace(files);

async function model(script: ScriptedReply[], extra: Partial<Parameters<typeof startModelServer>[0]> = {}): Promise<ModelServer> {
  const s = await startModelServer({ script, ...extra });
  servers.push(s);
  return s;
}

const tiller = (args: string[], env: Record<string, string> = {}, stdin = '') => runCli(dist, args, { env: { TILLER_PRICES: JSON.stringify(PRICES), ...env }, stdin });

const call = (name: string, args: unknown) => ({ name, arguments: args });

test('a multi-step task: read, search, edit under --approve all, run a command; the trace matches the model usage', async () => {
  const ws = workspace({
    'src/math.js': 'export function add(a, b) {\n  return a - b;\n}\n',
    'src/index.js': "import { add } from './math.js';\nconsole.log(add(2, 3));\n",
    'package.json': '{"name":"demo","type":"module"}\n',
  });
  const m = await model([
    { toolCalls: [call('workspace__read_file', { path: 'src/index.js' })] },
    { toolCalls: [call('workspace__search_text', { query: 'function add' })] },
    { toolCalls: [call('workspace__read_file', { path: 'src/math.js' })] },
    { toolCalls: [call('workspace__propose_edit', { path: 'src/math.js', edits: [{ search: 'return a - b;', replace: 'return a + b;' }] })] },
    { toolCalls: [call('shell__run_command', { command: 'node src/index.js' })] },
    { text: 'Fixed add(): it subtracted. `node src/index.js` now prints 5.' },
  ]);
  const trace = join(ws, '..', `trace-${Date.now()}.jsonl`);
  const r = await tiller(['run', 'Fix the add function', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all', '--trace', trace, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const outcome = JSON.parse(r.stdout) as { status: string; filesChanged: string[]; totals: { promptTokens: number; completionTokens: number; costUsd: number; steps: number } };
  assert.equal(outcome.status, 'done');
  assert.deepEqual(outcome.filesChanged, ['src/math.js']);
  assert.equal(readFileSync(join(ws, 'src/math.js'), 'utf8'), 'export function add(a, b) {\n  return a + b;\n}\n');

  // The observations really reached the model: the search hit and the command's output.
  const toolMessages = m.requests.map((q) => (q.body.messages as { role: string; content: string }[]).at(-1)!);
  assert.match(toolMessages[2]!.content, /src\/math\.js:1/);
  assert.match(toolMessages[5]!.content, /\b5\b/);

  // The ledger equals what the provider reported, exactly, and the cost is priced from the table.
  const reportedPrompt = m.reported.reduce((n, u) => n + u.prompt_tokens, 0);
  const reportedCompletion = m.reported.reduce((n, u) => n + u.completion_tokens, 0);
  assert.equal(m.reported.length, 6);
  assert.equal(outcome.totals.promptTokens, reportedPrompt);
  assert.equal(outcome.totals.completionTokens, reportedCompletion);
  const expectedCost = (reportedPrompt * 3 + reportedCompletion * 15) / 1e6;
  assert.ok(Math.abs(outcome.totals.costUsd - expectedCost) < 1e-12, `${outcome.totals.costUsd} vs ${expectedCost}`);

  const { events, badLines } = readTrace(trace);
  assert.deepEqual(badLines, []);
  const s = summarizeTrace(events);
  assert.equal(s.complete, true);
  assert.equal(s.promptTokens, reportedPrompt);
  assert.equal(s.completionTokens, reportedCompletion);
  assert.ok(Math.abs(s.costUsd - expectedCost) < 1e-12);
  assert.equal(s.steps, 6);
  assert.deepEqual(Object.keys(s.byTool).sort(), ['shell.run_command', 'workspace.propose_edit', 'workspace.read_file', 'workspace.search_text']);
  const edit = events.find((e) => e.type === 'edit');
  assert.ok(edit && edit.type === 'edit' && edit.applied);

  const shown = await tiller(['trace', 'show', trace]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, new RegExp(`prompt ${reportedPrompt} `));
  assert.match(shown.stdout, /workspace\.read_file\s+calls\s+2/);
  assert.match(shown.stdout, /status\s+done/);
});

test('--approve never declines the first edit: exit 4 and the file is untouched', async () => {
  const ws = workspace({ 'a.txt': 'one\n' });
  const m = await model([{ toolCalls: [call('workspace__propose_edit', { path: 'a.txt', content: 'two\n' })] }, { text: 'unreachable' }]);
  const r = await tiller(['run', 'change a', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'never']);
  assert.equal(r.code, 4, r.stderr);
  assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'one\n');
  assert.match(r.stderr, /approval was declined/);
  assert.equal(m.served(), 1);
});

test('--approve edits applies edits but declines commands', async () => {
  const ws = workspace({ 'a.txt': 'one\n' });
  const m = await model([
    { toolCalls: [call('workspace__propose_edit', { path: 'a.txt', content: 'two\n' })] },
    { toolCalls: [call('shell__run_command', { command: 'touch ran.txt' })] },
    { text: 'unreachable' },
  ]);
  const r = await tiller(['run', 'change a', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'edits']);
  assert.equal(r.code, 4, r.stderr);
  assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'two\n');
  assert.equal(existsSync(join(ws, 'ran.txt')), false);
});

test('deny rules bind under --approve all: a secret is never read, through the read tool or the shell', async () => {
  const ws = workspace({ '.env': 'API_TOKEN=hunter2-very-secret\n', 'README.md': 'hello\n' });
  const m = await model([
    { toolCalls: [call('workspace__read_file', { path: '.env' })] },
    { toolCalls: [call('shell__run_command', { command: 'cat .env' })] },
    { toolCalls: [call('workspace__search_text', { query: 'hunter2' })] },
    { text: 'could not read it' },
  ]);
  const r = await tiller(['run', 'print the secrets', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  for (const req of m.requests) assert.doesNotMatch(JSON.stringify(req.body), /hunter2-very-secret/);
  const results = m.requests.slice(1).map((q) => (q.body.messages as { content: string }[]).at(-1)!.content);
  assert.match(results[0]!, /Denied/);
  assert.match(results[1]!, /Denied/);
});

test('the step budget ends the run with exit 3 and a summary of where the task stands', async () => {
  const ws = workspace({ 'a.txt': 'x\n' });
  const m = await model(Array.from({ length: 5 }, (_, i) => ({ toolCalls: [call('workspace__list_dir', { path: '.', depth: i + 1 })] })));
  const r = await tiller(['run', 'wander', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all', '--max-steps', '2', '--json']);
  assert.equal(r.code, 3, r.stderr);
  const outcome = JSON.parse(r.stdout) as { status: string; exhausted: string; summary: string };
  assert.equal(outcome.exhausted, 'steps');
  assert.match(outcome.summary, /step budget \(2 steps\)/);
  assert.equal(m.served(), 2);
});

test('a stream cut mid-tool-call is retried and the partial call never runs; a model retry never re-runs a tool', async () => {
  const ws = workspace({ 'log.txt': '' });
  const m = await model([
    { toolCalls: [call('shell__run_command', { command: 'echo partial >> log.txt' })], fault: { type: 'cut', after: 'tool_call' } },
    { toolCalls: [call('shell__run_command', { command: 'echo once >> log.txt' })] },
    { fault: { type: 'status', status: 500 } },
    { fault: { type: 'status', status: 503 } },
    { text: 'done' },
  ]);
  const r = await tiller(['run', 'log once', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(ws, 'log.txt'), 'utf8'), 'once\n');
  assert.equal(m.served(), 5);
});

test('configuration errors exit 2 with a message naming the problem', async () => {
  const ws = workspace({ 'a.txt': 'x' });
  const noUrl = await tiller(['run', 't', '--workspace', ws, '--model', 'm']);
  assert.equal(noUrl.code, 2);
  assert.match(noUrl.stderr, /no model endpoint.*--base-url/);

  const badUrl = await tiller(['run', 't', '--workspace', ws, '--base-url', 'not a url', '--model', 'm']);
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /not a URL/);

  const noWorkspace = await tiller(['run', 't', '--workspace', join(ws, 'missing'), '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm']);
  assert.equal(noWorkspace.code, 2);
  assert.match(noWorkspace.stderr, /workspace folder not found/);

  const keyed = await model([{ text: 'never' }], { apiKey: 'right-key' });
  const wrongKey = await tiller(['run', 't', '--workspace', ws, '--base-url', keyed.baseUrl, '--model', 'fixture-large'], { TILLER_API_KEY: 'wrong-key' });
  assert.equal(wrongKey.code, 2, wrongKey.stderr);
  assert.match(wrongKey.stderr, /key/i);

  const m = await model([{ text: 'never' }]);
  const unknownModel = await tiller(['run', 't', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'no-such-model']);
  assert.equal(unknownModel.code, 2, unknownModel.stderr);
  assert.match(unknownModel.stderr, /no-such-model/);

  const html = await model([{ fault: { type: 'html', status: 200 } }]);
  const htmlRun = await tiller(['run', 't', '--workspace', ws, '--base-url', html.baseUrl, '--model', 'fixture-large']);
  assert.equal(htmlRun.code, 2, htmlRun.stderr);
  assert.match(htmlRun.stderr, /HTML/);

  const badFlag = await tiller(['run', 't', '--workspace', ws, '--approve', 'maybe', '--base-url', m.baseUrl, '--model', 'x']);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /--approve must be one of ask, edits, all, never/);

  const latin1 = join(ws, 'task.txt');
  writeFileSync(latin1, Buffer.from([0x66, 0x69, 0x78, 0x20, 0xe9, 0x74, 0xe9]));
  const notUtf8 = await tiller(['run', '--task-file', latin1, '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large']);
  assert.equal(notUtf8.code, 2);
  assert.match(notUtf8.stderr, /not UTF-8/);
});

test('--approve ask prompts on the terminal; a typed reason goes back to the model and the task goes on', async () => {
  const ws = workspace({ 'a.txt': 'one\n' });
  const m = await model([
    { toolCalls: [call('shell__run_command', { command: 'rm a.txt' })] },
    { toolCalls: [call('ask_user', { question: 'Which file then?' })] },
    { text: 'ok' },
  ]);
  const r = await tiller(['run', 'clean up', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'ask'], {}, 'keep a.txt, it is needed\nnone of them\n');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Tiller wants to run the command: rm a\.txt/);
  assert.ok(existsSync(join(ws, 'a.txt')));
  const seen = m.requests.map((q) => (q.body.messages as { content: string }[]).at(-1)!.content);
  assert.match(seen[1]!, /keep a\.txt, it is needed/);
  assert.match(seen[2]!, /The user answered: none of them/);
});

test('an edit spanning two files is one change set: approved together, applied together, both reads checked', async () => {
  const ws = workspace({ 'a.txt': 'one\n', 'b.txt': 'two\n', '.env': 'K=1\n' });
  const m = await model([
    { toolCalls: [call('workspace__propose_edit', { path: 'a.txt', content: 'ONE\n', also: [{ path: 'b.txt', edits: [{ search: 'two', replace: 'TWO' }] }] })] },
    { toolCalls: [call('workspace__propose_edit', { path: 'a.txt', content: 'x\n', also: [{ path: '.env', content: 'K=2\n' }] })] },
    { text: 'done' },
  ]);
  const r = await tiller(['run', 'change both', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as { filesChanged: string[] }).filesChanged, ['a.txt', 'b.txt']);
  assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'ONE\n');
  assert.equal(readFileSync(join(ws, 'b.txt'), 'utf8'), 'TWO\n');
  assert.equal(readFileSync(join(ws, '.env'), 'utf8'), 'K=1\n', 'a change touching a secret is denied whole');
  assert.match(String((m.requests[2]!.body.messages as { content: string }[]).at(-1)!.content), /Denied/);
});
