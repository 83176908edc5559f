// Faults injected into real sessions (the bundled CLI, the fixture model over HTTP, real MCP servers): after each,
// the workspace is unchanged or exactly the approved state, the trace is readable up to the fault, and the user sees
// what happened.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { buildBundles, repoRoot } from '../helpers/bundles.js';
import { readTrace } from '../../extension/core/trace/read.js';
import { summarizeTrace } from '../../extension/core/trace/summary.js';
import { lastMessages, Models, runCli, tempWorkspace } from '../helpers/cli.js';

let dist = '';
const models = new Models();
before(async () => {
  dist = await buildBundles();
});
after(() => models.closeAll());

const call = (name: string, args: unknown) => ({ name, arguments: args });
const base = (ws: string, url: string) => ['--workspace', ws, '--base-url', url, '--model', 'fixture-large'];

test('a burst of 429s and 5xx is retried (honouring retry-after) and the task completes', async () => {
  const ws = tempWorkspace({ 'a.txt': 'x\n' });
  const m = await models.start([
    { fault: { type: 'status', status: 429, retryAfterSeconds: 1 } },
    { fault: { type: 'status', status: 503 } },
    { fault: { type: 'status', status: 500 } },
    { toolCalls: [call('workspace__read_file', { path: 'a.txt' })] },
    { fault: { type: 'status', status: 502 } },
    { text: 'read it' },
  ]);
  const r = await runCli(dist, ['run', 'read a', ...base(ws, m.baseUrl), '--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(m.served(), 6);
  const gap = m.requests[1]!.at - m.requests[0]!.at;
  assert.ok(gap >= 950, `retry-after was honoured (${gap} ms)`);
});

test('retries exhausted: the task stops with a clear error and exit 1; nothing was changed', async () => {
  const ws = tempWorkspace({ 'a.txt': 'x\n' });
  const m = await models.start(Array.from({ length: 3 }, () => ({ fault: { type: 'status' as const, status: 503 } })));
  const r = await runCli(dist, ['run', 'read a', ...base(ws, m.baseUrl), '--approve', 'all'], { env: { TILLER_MAX_RETRIES: '2' } });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Failed\..*(503|server)/);
  assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'x\n');
});

test('a stalled stream is abandoned and retried; the stalled partial reply is never acted on', async () => {
  const ws = tempWorkspace({ 'a.txt': 'x\n' });
  const m = await models.start([
    { toolCalls: [call('shell__run_command', { command: 'touch stalled.txt' })], fault: { type: 'stall', afterChunks: 2, ms: 5000 } },
    { text: 'done' },
  ]);
  const r = await runCli(dist, ['run', 't', ...base(ws, m.baseUrl), '--approve', 'all'], { env: { TILLER_STALL_TIMEOUT_MS: '300' } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(join(ws, 'stalled.txt')), false);
  assert.equal(m.served(), 2);
});

test('a stream cut mid-tool-call: the partial call never runs', async () => {
  const ws = tempWorkspace({ 'a.txt': 'x\n' });
  const m = await models.start([
    { toolCalls: [call('shell__run_command', { command: 'touch cut.txt' })], fault: { type: 'cut', after: 'tool_call' } },
    { text: 'done' },
  ]);
  const r = await runCli(dist, ['run', 't', ...base(ws, m.baseUrl), '--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(join(ws, 'cut.txt')), false);
});

test('a command that never ends is killed at its timeout, and one waiting for input is stopped and explained', async () => {
  const ws = tempWorkspace({ 'a.txt': 'x\n' });
  const m = await models.start([
    { toolCalls: [call('shell__run_command', { command: 'sleep 600', timeoutMs: 1000 })] },
    { toolCalls: [call('shell__run_command', { command: 'printf "Overwrite config? [y/N] "; sleep 600' })] },
    { text: 'both handled' },
  ]);
  const started = Date.now();
  const r = await runCli(dist, ['run', 't', ...base(ws, m.baseUrl), '--approve', 'all']);
  assert.equal(r.code, 0, r.stderr);
  const [, afterTimeout, afterPrompt] = lastMessages(m);
  assert.match(afterTimeout!, /tim(ed|e) ?out/i);
  assert.match(afterPrompt!, /input/i);
  assert.ok(Date.now() - started < 60_000);
});

test('an MCP server that crashes mid-call: the call fails with a message, the server is restarted, the session goes on', async () => {
  const ws = tempWorkspace({ 'a.txt': 'x\n' });
  // In the workspace, like a server a repository brings: workspace servers run in the sandbox, which shows only it.
  const serverJs = join(ws, 'fault-server.js');
  await build({ entryPoints: [join(repoRoot, 'test/fixtures/mcp/fault-server.ts')], outfile: serverJs, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  writeFileSync(join(ws, '.mcp.json'), JSON.stringify({ mcpServers: { fault: { command: process.execPath, args: [serverJs] } } }));
  const m = await models.start([
    { toolCalls: [call('fault__crash', {})] },
    { toolCalls: [call('fault__echo', { text: 'back again' })] },
    { text: 'recovered' },
  ]);
  const r = await runCli(dist, ['run', 't', ...base(ws, m.baseUrl), '--approve', 'all', '--trust-workspace-mcp']);
  assert.equal(r.code, 0, r.stderr);
  const [, afterCrash, afterEcho] = lastMessages(m);
  assert.match(afterCrash!, /failed|unavailable|exited|died/i);
  assert.match(afterEcho!, /back again/);
});

function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('a full disk during an edit: nothing is half-written, the model is told, the session ends cleanly', async (t) => {
  const ws = mkdtempSync(join(tmpdir(), 'tiller-full-'));
  if (!mountTmpfs(ws, '256k')) {
    t.skip('needs root to mount a small tmpfs (CI runs as root)');
    return;
  }
  try {
    tempWorkspace({ 'a.txt': 'original\n', 'b.txt': 'second\n' }, ws);
    writeFileSync(join(ws, 'filler.bin'), Buffer.alloc(200 * 1024));
    const big = 'y'.repeat(120 * 1024);
    const m = await models.start([
      { toolCalls: [call('workspace__propose_edit', { path: 'b.txt', content: 'changed\n' })] },
      { toolCalls: [call('workspace__propose_edit', { path: 'a.txt', content: big })] },
      { text: 'the disk is full' },
    ]);
    const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
    const trace = join(home, 't.jsonl');
    const r = await runCli(dist, ['run', 't', ...base(ws, m.baseUrl), '--approve', 'all', '--trace', trace], { home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'original\n', 'the failed edit left the file as it was');
    assert.equal(readFileSync(join(ws, 'b.txt'), 'utf8'), 'changed\n', 'the approved edit before it stands');
    assert.deepEqual(readdirSync(ws).sort(), ['a.txt', 'b.txt', 'filler.bin'], 'no temp files left behind');
    assert.match(lastMessages(m)[2]!, /not applied|ENOSPC|no space/i);
    const { events, badLines } = readTrace(trace);
    assert.deepEqual(badLines, []);
    assert.equal(summarizeTrace(events).complete, true);
    assert.ok(events.some((e) => e.type === 'edit' && !e.applied && /ENOSPC|space/i.test(e.error ?? '')));
  } finally {
    execFileSync('umount', [ws]);
  }
});

test('the session can be resumed after a model outage ends a task', async () => {
  const ws = tempWorkspace({ 'a.txt': 'x\n' });
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  const down = await models.start([{ toolCalls: [call('workspace__read_file', { path: 'a.txt' })] }, { fault: { type: 'status', status: 503 } }]);
  const first = await runCli(dist, ['run', 'read a then answer', ...base(ws, down.baseUrl), '--approve', 'all', '--json'], { home, env: { TILLER_MAX_RETRIES: '0' } });
  assert.equal(first.code, 1, first.stderr);
  const session = (JSON.parse(first.stdout) as { sessionPath: string }).sessionPath;
  const up = await models.start([{ text: 'answered after resume' }]);
  const second = await runCli(dist, ['run', '--resume', session, ...base(ws, up.baseUrl), '--approve', 'all', '--json'], { home });
  assert.equal(second.code, 0, second.stderr);
  const sent = up.requests[0]!.body.messages as { role: string; content: string }[];
  assert.ok(sent.some((x) => x.role === 'tool' && /x/.test(x.content)), 'the earlier observation is still in the conversation');
});
