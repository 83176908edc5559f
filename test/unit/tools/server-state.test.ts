// The tool host's per-server state as typed data: the snapshot (`servers()`), the change events
// (`onServersChanged`) and the user's stop and restart. Real child processes: one that writes to stderr and exits
// before speaking MCP, and the well-behaved fault-server fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { createToolHost } from '../../../extension/core/tools/host.js';
import { lastLines } from '../../../extension/core/tools/ring-buffer.js';
import type { ServerStatus } from '../../../extension/core/tools/supervisor.js';
import { ToolHostError, type ServerSpec } from '../../../extension/core/tools/types.js';
import { processGone, waitFor } from '../../integration/mcp/wait.js';

const repo = resolve(__dirname, '../../..');

const dying: ServerSpec = {
  name: 'dying',
  transport: 'stdio',
  command: process.execPath,
  args: ['-e', "for (let i = 1; i <= 30; i++) console.error('line ' + i); console.error('FATAL: no API token'); process.exit(2)"],
};

const healthy: ServerSpec = {
  name: 'healthy',
  transport: 'stdio',
  command: process.execPath,
  args: ['--import', 'tsx', join(repo, 'test', 'fixtures', 'mcp', 'fault-server.ts'), '--mode', 'normal'],
  cwd: repo,
};

test('a server that prints to stderr and exits is down, with its exit, its last stderr lines and no tools', async () => {
  const seen: ServerStatus[][] = [];
  const host = createToolHost([dying], { onServersChanged: (servers) => seen.push(servers) });
  try {
    await host.listTools();
    const [status] = host.servers();
    assert.ok(status);
    assert.equal(status.state, 'down');
    assert.equal(status.transport, 'stdio');
    assert.equal(status.toolCount, 0);
    assert.equal(status.pid, undefined);
    assert.equal(status.recentCrashes, 1);
    assert.match(status.lastError ?? '', /could not connect: .*exited with code 2/);
    assert.deepEqual(lastLines(status.stderrTail, 3), ['line 29', 'line 30', 'FATAL: no API token']);
    // The events told the same story, in order, without anyone polling.
    assert.deepEqual(seen.map((servers) => servers[0]?.state), ['starting', 'down']);
  } finally {
    await host.close();
  }
});

test('stop ends the process and makes its tools fail with why; restart brings it back with a fresh history', async () => {
  const states: string[] = [];
  const host = createToolHost([healthy, dying], {
    onServersChanged: (servers) => states.push(servers.map((s) => `${s.name}:${s.state}`).join(' ')),
  });
  try {
    await host.listTools();
    const up = host.servers().find((s) => s.name === 'healthy');
    assert.equal(up?.state, 'up');
    assert.ok(up.toolCount >= 3, `tools: ${up.toolCount}`);
    const pid = up.pid;
    assert.ok(pid !== undefined);

    const stopped = await host.stopServer('healthy');
    assert.equal(stopped.state, 'stopped');
    assert.equal(stopped.toolCount, 0);
    await waitFor(() => processGone(pid), 'the stopped server to exit');
    await assert.rejects(
      host.callTool('healthy.echo', { text: 'hi' }),
      (e: unknown) => e instanceof ToolHostError && e.kind === 'server_unavailable' && /stopped by the user/.test(e.message),
    );
    assert.ok(!(await host.listTools()).some((t) => t.server === 'healthy'), 'a stopped server offers no tools');

    const restarted = await host.restartServer('healthy');
    assert.equal(restarted.state, 'up');
    assert.notEqual(restarted.pid, pid);
    assert.equal((await host.callTool('healthy.echo', { text: 'back' })).content, 'back');

    // Restarting the failing one forgets its crashes and records the new failure; the stderr ring marks the restart.
    const again = await host.restartServer('dying');
    assert.equal(again.state, 'down');
    assert.equal(again.recentCrashes, 1);
    assert.match(again.stderrTail, /--- restarted at .* ---\n(line \d+\n)+FATAL: no API token/);

    assert.ok(states.includes('healthy:stopped dying:down'), states.join('\n'));
    assert.ok(states.includes('healthy:up dying:down'), states.join('\n'));
    await assert.rejects(host.stopServer('nope'), (e: unknown) => e instanceof ToolHostError && /no MCP server named "nope"/.test(e.message));
  } finally {
    await host.close();
  }
  assert.ok(host.servers().every((s) => s.state === 'closed'));
});

test('lastLines keeps the last non-empty lines and cuts long ones', () => {
  assert.deepEqual(lastLines('a\n\nb\r\nc\n', 2), ['b', 'c']);
  assert.deepEqual(lastLines(`${'x'.repeat(10)}\n`, 5, 4), ['xxxx…']);
  assert.deepEqual(lastLines('', 5), []);
});
