// The host driving both built-in servers as real stdio children against a temp workspace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToolHost, type SupervisedToolHost } from '../../../extension/core/tools/host.js';
import { builtinServerSpecs } from '../../../extension/core/tools/builtin.js';
import { ToolHostError, type ServerSpec } from '../../../extension/core/tools/types.js';
import type { ChangeSet } from '../../../extension/core/edits/types.js';
import { buildBundles } from '../../helpers/bundles.js';
import { waitGone, waitRunning } from './wait.js';

let root: string;
let host: SupervisedToolHost;
const warnings: string[] = [];

before(async () => {
  const dist = await buildBundles();
  root = realpathSync(mkdtempSync(join(tmpdir(), 'tiller-host-ws-')));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'main.ts'), 'export function greet() {\r\n  return "hello";\r\n}\r\n');
  writeFileSync(join(root, 'README.md'), '# demo\nsay hello\n');
  process.env.OPENAI_API_KEY = 'sk-parent-secret';
  const specs = builtinServerSpecs(dist, root, { ripgrepPath: join(root, 'no-such-rg'), shellIdleMs: 300 }).map((s): ServerSpec =>
    // Hand the secret to the shell server on purpose: the command environment must still not see it.
    s.transport === 'stdio' && s.name === 'shell' ? { ...s, env: { ...s.env, OPENAI_API_KEY: process.env.OPENAI_API_KEY! } } : s,
  );
  host = createToolHost(specs, { log: { info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) } });
});

after(async () => {
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

test('lists the namespaced tools of both servers with schemas and annotations', async () => {
  const tools = await host.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), [
    'shell.run_command',
    'workspace.find_files',
    'workspace.list_dir',
    'workspace.propose_edit',
    'workspace.read_file',
    'workspace.search_text',
  ]);
  const read = tools.find((t) => t.name === 'workspace.read_file')!;
  assert.equal(read.server, 'workspace');
  assert.equal(read.tool, 'read_file');
  assert.deepEqual(read.inputSchema.required, ['path']);
  assert.equal(read.annotations?.readOnlyHint, true);
  assert.equal(tools.find((t) => t.name === 'shell.run_command')!.annotations?.destructiveHint, true);
});

test('reads, finds and searches (JS fallback when TILLER_RG_PATH points at nothing)', async () => {
  const read = await host.callTool('workspace.read_file', { path: 'README.md' });
  assert.equal(read.content, 'File: README.md (lines 1-2 of 2)\n# demo\nsay hello\n');
  const found = await host.callTool('workspace.find_files', { pattern: '*.ts' });
  assert.equal(found.content, 'src/main.ts');
  const hits = await host.callTool('workspace.search_text', { query: 'HELLO' });
  assert.equal(hits.content, 'README.md:2: say hello\nsrc/main.ts:2:   return "hello";');
  assert.equal(hits.structured?.engine, 'js');
  const escape = await host.callTool('workspace.read_file', { path: '../../etc/passwd' });
  assert.equal(escape.isError, true);
  assert.match(escape.content, /outside the workspace root/);
});

test('propose_edit keeps CRLF, returns a change set, and leaves the file alone', async () => {
  const before = readFileSync(join(root, 'src', 'main.ts'));
  const r = await host.callTool('workspace.propose_edit', {
    path: 'src/main.ts',
    edits: [{ search: 'return "hello";', replace: 'return "hi";' }],
    description: 'shorter greeting',
  });
  assert.equal(r.isError, false);
  const cs = r.structured?.changeSet as ChangeSet;
  assert.equal(cs.files[0]!.newContent, 'export function greet() {\r\n  return "hi";\r\n}\r\n');
  assert.match(r.content, /- {2}return "hello";\r?\n\+ {2}return "hi";/);
  assert.deepEqual(readFileSync(join(root, 'src', 'main.ts')), before);
  const ambiguous = await host.callTool('workspace.propose_edit', { path: 'README.md', edits: [{ search: 'e', replace: 'E' }] });
  assert.equal(ambiguous.isError, true);
  assert.match(ambiguous.content, /matched \d+ times in README\.md, add surrounding lines/);
});

test('run_command reports the exit code and output', async () => {
  const r = await host.callTool('shell.run_command', { command: 'echo out; echo err >&2; exit 3', cwd: 'src' });
  assert.equal(r.isError, false);
  assert.equal(r.structured?.exitCode, 3);
  assert.equal(r.structured?.cwd, 'src');
  assert.match(r.content, /out\n/);
  assert.match(r.content, /err\n/);
  assert.match(r.content, /\[exit code 3; \d+ ms\]$/);
  const outside = await host.callTool('shell.run_command', { command: 'pwd', cwd: '..' });
  assert.equal(outside.isError, true);
});

test('long output keeps head and tail around an omitted-bytes marker', async () => {
  const r = await host.callTool('shell.run_command', { command: 'echo START; head -c 200000 /dev/zero | tr "\\0" a; echo; echo END' });
  assert.equal(r.structured?.exitCode, 0);
  assert.match(r.content, /^\$ [^\n]+\nSTART\na+\n\[\.\.\. \d+ bytes omitted \.\.\.\]\na+\nEND\n/);
  assert.ok(r.content.length < 70 * 1024);
});

test('the command environment never carries the parent secrets', async () => {
  const r = await host.callTool('shell.run_command', { command: 'echo "key=${OPENAI_API_KEY:-unset}"; env' });
  assert.match(r.content, /key=unset/);
  assert.doesNotMatch(r.content, /sk-parent-secret/);
  assert.match(r.content, /GIT_TERMINAL_PROMPT=0/);
});

// Commands run in the sandbox's own pid namespace, so `$!` is not a host pid: each background sleep gets a unique
// duration and is found on the host by its command line (hostPidsOf).
test('a timeout kills the whole process tree', async () => {
  const call = host.callTool('shell.run_command', { command: 'sleep 100.101 & wait', timeoutMs: 1500 });
  const pid = await waitRunning(['sleep', '100.101'], 'the background sleep');
  const r = await call;
  assert.equal(r.isError, true);
  assert.equal(r.structured?.timedOut, true);
  assert.match(r.content, /timed out after 1500 ms/);
  await waitGone(pid, 'the background sleep');
});

test('a command sitting at a prompt is killed and reported as waiting for input', async () => {
  // `read` itself gets EOF at once (stdin is an empty pipe), so it cannot hang.
  const eof = await host.callTool('shell.run_command', { command: 'read -p "Continue? " answer; echo "read-status:$?"' });
  assert.match(eof.content, /read-status:1/);
  // A program that prompts on its own terminal is simulated by printing a prompt and going quiet.
  const call = host.callTool('shell.run_command', { command: 'sleep 100.102 & printf "Continue? [y/N] "; wait' });
  const pid = await waitRunning(['sleep', '100.102'], 'the prompting command');
  const r = await call;
  assert.equal(r.isError, true);
  assert.equal(r.structured?.waitingForInput, true);
  assert.match(r.content, /waiting for interactive input/);
  assert.match(r.content, /non-interactively/);
  await waitGone(pid, 'the prompting command');
});

test('cancelling a call kills the command tree', async () => {
  const controller = new AbortController();
  const call = host.callTool('shell.run_command', { command: 'sleep 100.103 & wait' }, { signal: controller.signal });
  const pid = await waitRunning(['sleep', '100.103'], 'the command');
  controller.abort();
  await assert.rejects(call, (e: unknown) => e instanceof ToolHostError && e.kind === 'cancelled');
  await waitGone(pid, 'the cancelled sleep');
});

test('unknown tools name close matches', async () => {
  await assert.rejects(
    host.callTool('workspace.read_fil', {}),
    (e: unknown) => e instanceof ToolHostError && e.kind === 'unknown_tool' && /did you mean `workspace\.read_file`/.test(e.message),
  );
  await assert.rejects(host.callTool('nope.thing', {}), (e: unknown) => e instanceof ToolHostError && e.kind === 'unknown_tool');
});

test('close() leaves no child processes, even with a command running', async () => {
  const dist = await buildBundles();
  const own = createToolHost(builtinServerSpecs(dist, root));
  await own.listTools();
  const serverPids = own.servers().map((s) => s.pid!);
  assert.equal(serverPids.length, 2);
  const running = own.callTool('shell.run_command', { command: 'sleep 100.104 & wait' }).catch((e: unknown) => e);
  const sleepPid = await waitRunning(['sleep', '100.104'], 'the command');
  await own.close();
  assert.ok((await running) instanceof ToolHostError);
  for (const pid of [...serverPids, sleepPid]) await waitGone(pid, 'a child of the closed host');
  await assert.rejects(own.callTool('workspace.read_file', { path: 'README.md' }), /closed/);
});
