// Misbehaving servers (test/fixtures/mcp/fault-server.ts) must never take the host down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createToolHost } from '../../../extension/core/tools/host.js';
import { ToolHostError, type ServerSpec } from '../../../extension/core/tools/types.js';
import { waitFor, waitGone } from './wait.js';

const repo = resolve(__dirname, '../../..');
const fixture = join(repo, 'test', 'fixtures', 'mcp', 'fault-server.ts');
let dir: string;

function fault(name: string, mode: string): ServerSpec {
  return {
    name,
    transport: 'stdio',
    command: process.execPath,
    args: ['--import', 'tsx', fixture, '--mode', mode, '--events', join(dir, `${name}.events`)],
    cwd: repo,
  };
}

function events(name: string): string[] {
  const file = join(dir, `${name}.events`);
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
}

const isKind = (kind: ToolHostError['kind'], pattern?: RegExp) => (e: unknown) =>
  e instanceof ToolHostError && e.kind === kind && (pattern === undefined || pattern.test(e.message));

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tiller-faults-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a server that crashes mid-call fails that call; the next call restarts it; repeated crashes open the circuit', async () => {
  const host = createToolHost([fault('crashy', 'normal')]);
  try {
    assert.equal((await host.callTool('crashy.echo', { text: 'one' })).content, 'one');
    const firstPid = host.servers()[0]!.pid!;
    await assert.rejects(host.callTool('crashy.crash', {}), isKind('server_unavailable', /stopped during the call.*not retried/));
    await waitFor(() => host.servers()[0]!.state === 'down' || undefined, 'the server to be marked down');
    assert.equal((await host.callTool('crashy.echo', { text: 'two' })).content, 'two');
    const secondPid = host.servers()[0]!.pid!;
    assert.notEqual(secondPid, firstPid);
    await waitGone(firstPid, 'the crashed server');

    await assert.rejects(host.callTool('crashy.crash', {}), isKind('server_unavailable'));
    await assert.rejects(host.callTool('crashy.crash', {}), isKind('server_unavailable'));
    // Three crashes within the window: no restart, a fast and explicit failure.
    const startsBefore = events('crashy').filter((e) => e.startsWith('started')).length;
    await assert.rejects(host.callTool('crashy.echo', { text: 'three' }), isKind('server_unavailable', /failed 3 times in the last 60 s/));
    assert.equal(host.servers()[0]!.state, 'circuit_open');
    assert.equal(events('crashy').filter((e) => e.startsWith('started')).length, startsBefore);
  } finally {
    await host.close();
  }
});

test('junk on stdout and a flood on stderr do not break the host', async () => {
  const host = createToolHost([fault('junk', 'garbage-stdout'), fault('loud', 'flood-stderr')], { log: { info() {}, warn() {}, error() {} } });
  try {
    const names = (await host.listTools()).map((t) => t.name).sort();
    assert.deepEqual(names, ['junk.crash', 'junk.echo', 'junk.hang', 'loud.crash', 'loud.echo', 'loud.hang']);
    for (let i = 0; i < 3; i++) {
      assert.equal((await host.callTool('junk.echo', { text: `j${i}` })).content, `j${i}`);
      assert.equal((await host.callTool('loud.echo', { text: `l${i}` })).content, `l${i}`);
    }
    const loudStatus = () => host.servers().find((s) => s.name === 'loud')!;
    assert.equal(loudStatus().state, 'up');
    // stderr is a separate pipe: its last bytes may arrive after the reply.
    const loud = await waitFor(() => {
      const status = loudStatus();
      return status.stderrTail.trimEnd().endsWith('FLOOD-END') && status;
    }, 'the end of the stderr flood');
    assert.ok(loud.stderrTail.length <= 64 * 1024 && loud.stderrTail.length > 60 * 1024);
  } finally {
    await host.close();
  }
});

test('a call that gets no answer times out, and the server is told to cancel it', async () => {
  const host = createToolHost([fault('slow', 'normal')]);
  try {
    await assert.rejects(host.callTool('slow.hang', {}, { timeoutMs: 300 }), isKind('timeout', /did not answer within 300 ms/));
    await waitFor(() => events('slow').some((e) => e.startsWith('cancelled')) || undefined, 'the server to see notifications/cancelled');
    assert.equal((await host.callTool('slow.echo', { text: 'still here' })).content, 'still here');
  } finally {
    await host.close();
  }
});

test('an aborted call is cancelled', async () => {
  const host = createToolHost([fault('abortable', 'normal')]);
  try {
    await host.listTools();
    const controller = new AbortController();
    const call = host.callTool('abortable.hang', {}, { signal: controller.signal });
    controller.abort();
    await assert.rejects(call, isKind('cancelled'));
  } finally {
    await host.close();
  }
});

test('a server that never answers initialize is reported and does not hold up the others', async () => {
  const logged: string[] = [];
  const host = createToolHost([fault('mute', 'silent'), fault('fine', 'normal'), { name: 'missing', transport: 'stdio', command: join(dir, 'no-such-binary'), args: [] }], {
    connectTimeoutMs: 5000,
    log: { info() {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) },
  });
  try {
    const names = (await host.listTools()).map((t) => t.name).sort();
    assert.deepEqual(names, ['fine.crash', 'fine.echo', 'fine.hang']);
    assert.ok(logged.some((m) => /mute could not connect/.test(m)), logged.join('\n'));
    assert.ok(logged.some((m) => /missing could not connect/.test(m)), logged.join('\n'));
    const mute = host.servers().find((s) => s.name === 'mute')!;
    assert.notEqual(mute.state, 'up');
    await assert.rejects(host.callTool('missing.anything', {}), isKind('server_unavailable'));
    assert.equal((await host.callTool('fine.echo', { text: 'ok' })).content, 'ok');
  } finally {
    await host.close();
  }
  // The silent child was killed when its connect budget ran out.
  for (const line of events('mute')) await waitGone(Number(line.split(' ')[1]), 'the silent server');
});

test('server names are validated', () => {
  assert.throws(() => createToolHost([{ ...fault('bad name', 'normal') }]), /must match/);
  assert.throws(() => createToolHost([fault('dup', 'normal'), fault('dup', 'normal')]), /configured twice/);
});

test('a server that stops reading its stdin: calls to it time out instead of blocking; the host and other servers carry on', async () => {
  const host = createToolHost([fault('deaf', 'deaf'), fault('fine', 'normal')], { callTimeoutMs: 2000 });
  let deafPid: number | undefined;
  try {
    assert.equal((await host.callTool('deaf.echo', { text: 'last words' })).content, 'last words');
    deafPid = host.servers().find((s) => s.name === 'deaf')!.pid!;
    await waitFor(() => (events('deaf').some((e) => e.startsWith('deaf')) ? true : undefined), 'the server to stop reading');
    // More than a pipe buffer holds: the write can never complete, and the call must not wait for it.
    await assert.rejects(host.callTool('deaf.echo', { text: 'x'.repeat(1_000_000) }), isKind('timeout'));
    assert.equal((await host.callTool('fine.echo', { text: 'still here' })).content, 'still here');
  } finally {
    await host.close();
  }
  await waitGone(deafPid!, 'the deaf server');
});

// Issue 12: a reply over the SDK's 10 MiB stdio buffer used to hang the call until its 660 s timeout.
test('a reply over the transport limit fails that call at once with the reason; the next call restarts the server', async () => {
  const host = createToolHost([fault('huge', 'huge')]);
  try {
    assert.equal((await host.callTool('huge.echo', { text: 'before' })).content, 'before');
    const firstPid = host.servers()[0]!.pid!;
    const started = Date.now();
    await assert.rejects(host.callTool('huge.huge', {}), isKind('server_unavailable', /over the 10 MiB limit of the stdio transport.*not retried/));
    const took = Date.now() - started;
    assert.ok(took < 10_000, `failed after ${took} ms, not at its timeout`);
    await waitGone(firstPid, 'the stopped server');
    assert.equal((await host.callTool('huge.echo', { text: 'after' })).content, 'after');
    assert.notEqual(host.servers()[0]!.pid, firstPid, 'a new server process answered');
    assert.equal(events('huge').filter((e) => e.startsWith('started')).length, 2);
  } finally {
    await host.close();
  }
});
