// The process killed mid-session (`kill -9`), then resumed: the workspace holds exactly what was approved, the trace
// and session files are readable up to the fault, and the session continues without re-running what was in flight.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../helpers/bundles.js';
import { startModelServer, type ModelServer, type ScriptedReply } from '../fixtures/model-server.js';
import { readTrace } from '../../extension/core/trace/read.js';
import { summarizeTrace } from '../../extension/core/trace/summary.js';
import { readSessionLog } from '../../extension/core/agent/session-log.js';

let dist = '';
const servers: ModelServer[] = [];
before(async () => {
  dist = await buildBundles();
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function model(script: ScriptedReply[]): Promise<ModelServer> {
  const s = await startModelServer({ script });
  servers.push(s);
  return s;
}

function start(args: string[], home: string): { child: ChildProcess; stderr: () => string; done: Promise<number | null> } {
  const child = spawn(process.execPath, [join(dist, 'cli.js'), ...args], { env: { PATH: process.env.PATH ?? '', TILLER_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => err, done };
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('kill -9 while a command runs: resume answers the lost call as interrupted and never runs it again', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'tiller-kill-'));
  writeFileSync(join(ws, 'a.txt'), 'one\n');
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  const trace = join(home, 'first.jsonl');
  const m = await model([
    { toolCalls: [{ name: 'workspace__propose_edit', arguments: { path: 'a.txt', content: 'two\n' } }] },
    { toolCalls: [{ name: 'shell__run_command', arguments: { command: 'echo ran >> marks.txt; sleep 30' } }] },
    { text: 'never reached' },
  ]);
  const run = start(['run', 'edit then run', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all', '--trace', trace], home);
  await until('the command to start', () => existsSync(join(ws, 'marks.txt')));
  run.child.kill('SIGKILL');
  await run.done;
  const session = /session: (\S+)/.exec(run.stderr())?.[1];
  assert.ok(session, run.stderr());

  // Exactly the approved state; the trace is readable and stops at the fault.
  assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'two\n');
  const first = readTrace(trace);
  assert.deepEqual(first.badLines, []);
  const s = summarizeTrace(first.events, first.badLines);
  assert.equal(s.complete, false);
  assert.equal(s.steps, 2);
  assert.ok(first.events.some((e) => e.type === 'edit' && e.applied));

  const resumed = await model([{ text: 'The command was interrupted; a.txt holds two.' }]);
  const again = start(['run', '--resume', session, '--workspace', ws, '--base-url', resumed.baseUrl, '--model', 'fixture-large', '--approve', 'all', '--json'], home);
  assert.equal(await again.done, 0, again.stderr());
  const sent = resumed.requests[0]!.body.messages as { role: string; content: string | null }[];
  assert.ok(sent.some((x) => x.role === 'tool' && /interrupted while this call was running/.test(x.content ?? '')), 'the lost call is answered as interrupted');
  assert.match(String(sent.at(-1)!.content), /resumed/);
  assert.ok(sent.some((x) => x.role === 'user' && /edit then run/.test(x.content ?? '')), 'the task survives');
  assert.equal(readFileSync(join(ws, 'marks.txt'), 'utf8'), 'ran\n', 'the interrupted command was not run again');
  assert.equal(readSessionLog(session).ended?.status, 'done');
});

test('with --checkpoints, the state before an applied edit and a command can be restored byte-identically', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'tiller-cp-'));
  writeFileSync(join(ws, 'a.txt'), 'one\r\n');
  const home = mkdtempSync(join(tmpdir(), 'tiller-home-'));
  const m = await model([
    { toolCalls: [{ name: 'workspace__propose_edit', arguments: { path: 'a.txt', content: 'two\r\n' } }] },
    { toolCalls: [{ name: 'shell__run_command', arguments: { command: 'echo made > b.txt' } }] },
    { text: 'done' },
  ]);
  const run = start(['run', 'change things', '--workspace', ws, '--base-url', m.baseUrl, '--model', 'fixture-large', '--approve', 'all', '--checkpoints'], home);
  assert.equal(await run.done, 0, run.stderr());
  assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'two\r\n');
  const list = start(['checkpoint', 'list', '--workspace', ws], home);
  let listed = '';
  list.child.stdout!.removeAllListeners('data');
  list.child.stdout!.on('data', (d: Buffer) => (listed += d.toString()));
  assert.equal(await list.done, 0, list.stderr());
  const ids = [...listed.matchAll(/\b([0-9a-f]{8,})\b/g)].map((x) => x[1]!);
  assert.ok(ids.length >= 2, listed);
  const oldest = ids.at(-1)!;
  const restore = start(['checkpoint', 'restore', oldest, '--workspace', ws], home);
  assert.equal(await restore.done, 0, restore.stderr());
  assert.equal(readFileSync(join(ws, 'a.txt'), 'utf8'), 'one\r\n');
  assert.equal(existsSync(join(ws, 'b.txt')), false);
});
