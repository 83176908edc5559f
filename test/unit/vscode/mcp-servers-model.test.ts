// What the MCP servers view shows for each server, from its configuration and what the host reports: live during a
// task, the consent dialog while it is open, the last known state between tasks, and a check run's result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { McpServerControl } from '../../../extension/core/harness.js';
import type { ServerStatus } from '../../../extension/core/tools/supervisor.js';
import { McpServersModel, type McpServerEntry } from '../../../extension/vscode/mcp-servers-model.js';

const entries: McpServerEntry[] = [
  { name: 'workspace', source: 'builtin', origin: 'built in', target: 'files' },
  { name: 'docs', source: 'user', origin: 'User settings › tiller.mcpServers', target: 'node docs.js' },
  { name: 'repo', source: 'workspace', origin: '.mcp.json', file: '/ws/.mcp.json', target: 'npx repo-server', needsConsent: true },
];

function status(name: string, state: ServerStatus['state'], extra: Partial<ServerStatus> = {}): ServerStatus {
  return { name, state, transport: 'stdio', stderrTail: '', recentCrashes: 0, toolCount: 0, since: 0, ...extra };
}

function fakeControl(initial: ServerStatus[]) {
  const calls: string[] = [];
  const control: McpServerControl = {
    servers: () => initial,
    restartServer: async (name) => {
      calls.push(`restart ${name}`);
      return status(name, 'up', { toolCount: 2, pid: 99 });
    },
    stopServer: async (name) => {
      calls.push(`stop ${name}`);
      return status(name, 'stopped');
    },
  };
  return { control, calls };
}

const brief = (model: McpServersModel) => model.rows().map((r) => `${r.name}: ${r.state}${r.live ? ' (live)' : ''}`);

test('before any task: built-ins and user servers start with the next task; an unapproved workspace server waits for consent', () => {
  const model = new McpServersModel(async () => undefined);
  model.setEntries(entries);
  assert.deepEqual(brief(model), ['workspace: stopped', 'docs: stopped', 'repo: waiting_for_consent']);
  assert.match(model.rows()[2]!.detail, /asked when a task starts/);
});

test('during a task: live states with tools, pid and the stderr tail of a failed server; stop and restart reach the host', async () => {
  const model = new McpServersModel(async () => undefined);
  model.setEntries(entries);
  let changes = 0;
  model.onDidChange(() => changes++);
  const { control, calls } = fakeControl([status('workspace', 'up', { toolCount: 9, pid: 42 }), status('docs', 'starting')]);
  model.attach(control);
  const stderr = `${Array.from({ length: 30 }, (_, i) => `noise ${i}`).join('\n')}\nError: DOCS_TOKEN is not set\n`;
  model.update([status('workspace', 'up', { toolCount: 9, pid: 42 }), status('docs', 'down', { lastError: 'could not connect: Connection closed (exited with code 1)', stderrTail: stderr })]);
  const [workspace, docs] = model.rows();
  assert.equal(workspace!.detail, 'running · 9 tools · pid 42');
  assert.equal(docs!.state, 'failed');
  assert.equal(docs!.live, true);
  assert.match(docs!.detail, /^failed: could not connect: .*exited with code 1/);
  assert.equal(docs!.stderr.length, 20, 'the last 20 lines');
  assert.equal(docs!.stderr.at(-1), 'Error: DOCS_TOKEN is not set');
  assert.ok(changes >= 2);

  await model.restart('docs');
  assert.ok(await model.stop('workspace'));
  assert.deepEqual(calls, ['restart docs', 'stop workspace']);
  assert.deepEqual(brief(model).slice(0, 2), ['workspace: stopped (live)', 'docs: running (live)']);
  assert.match(model.rows()[0]!.detail, /stopped by you/);
});

test('after the task: the last states stay (a failure keeps its stderr), nothing is live, and the closing events are ignored', async () => {
  const model = new McpServersModel(async () => undefined);
  model.setEntries(entries);
  const { control } = fakeControl([status('workspace', 'up', { toolCount: 9 }), status('docs', 'down', { lastError: 'boom', stderrTail: 'bad\n' })]);
  model.attach(control);
  model.detach(control);
  model.update([status('workspace', 'closed'), status('docs', 'closed')]);
  assert.deepEqual(brief(model), ['workspace: stopped', 'docs: failed', 'repo: waiting_for_consent']);
  assert.match(model.rows()[0]!.detail, /started fine \(9 tools\)/);
  assert.deepEqual(model.rows()[1]!.stderr, ['bad']);
  assert.equal(await model.stop('docs'), false, 'nothing to stop without a task');
});

test('with no task, restart is a check run: starting while it runs, then its result; the consent dialog shows while open', async () => {
  let finish: (s: ServerStatus) => void = () => undefined;
  const model = new McpServersModel((name, onStatus) => {
    onStatus(status(name, 'starting'));
    return new Promise((resolve) => (finish = resolve));
  });
  model.setEntries(entries);
  const running = model.restart('repo');
  model.consentAsked('repo');
  assert.deepEqual(brief(model)[2], 'repo: waiting_for_consent');
  assert.match(model.rows()[2]!.detail, /answer the dialog/);
  model.consentAnswered('repo', true);
  assert.deepEqual(brief(model)[2], 'repo: starting');
  finish(status('repo', 'down', { lastError: 'could not connect: spawn npx ENOENT', stderrTail: 'npx: not found\n' }));
  await running;
  const repo = model.rows()[2]!;
  assert.equal(repo.state, 'failed');
  assert.match(repo.detail, /failed \(last run\): could not connect: spawn npx ENOENT/);
  assert.deepEqual(repo.stderr, ['npx: not found']);
});

test('a declined consent says so, and a server in an untrusted workspace says why it cannot start', () => {
  const model = new McpServersModel(async () => undefined);
  model.setEntries([...entries.slice(0, 2), { ...entries[2]!, needsConsent: false, blocked: 'not started: the workspace is not trusted' }, { ...entries[2]!, name: 'other' }]);
  model.consentAsked('other');
  model.consentAnswered('other', false);
  const [, , blocked, declined] = model.rows();
  assert.equal(blocked!.detail, 'not started: the workspace is not trusted');
  assert.equal(declined!.state, 'waiting_for_consent');
  assert.match(declined!.detail, /not approved/);
});
