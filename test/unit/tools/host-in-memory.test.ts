// The MCP host's supervision against in-process servers (the SDK's InMemoryTransport through the host's
// `connectTransport` seam): a call's timeout and cancellation reach the server, a crashed server is restarted on the
// next call, and repeated crashes open the circuit. No child process is started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createToolHost, type SupervisedToolHost } from '../../../extension/core/tools/host.js';
import { ToolHostError, type ServerSpec } from '../../../extension/core/tools/types.js';

const SPEC: ServerSpec = { name: 'fake', transport: 'stdio', command: 'not-started', args: [] };

interface Generation {
  transport: InMemoryTransport;
  cancelled: string[];
}

/** A host whose one server is a fresh in-process McpServer on every connection (generation 0, 1, ...). */
function host(options: { callTimeoutMs?: number } = {}): { host: SupervisedToolHost; generations: Generation[] } {
  const generations: Generation[] = [];
  const connectTransport = (): InMemoryTransport => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const generation: Generation = { transport: serverSide, cancelled: [] };
    const n = generations.length;
    const server = new McpServer({ name: 'fake', version: '1.0.0' });
    server.registerTool('which', { description: 'says which connection answered' }, async () => ({ content: [{ type: 'text', text: `generation ${n}` }] }));
    server.registerTool('hang', { description: 'answers only when cancelled' }, async (extra) => {
      await new Promise<void>((resolve) => extra.signal.addEventListener('abort', () => resolve(), { once: true }));
      generation.cancelled.push(String(extra.requestId));
      return { content: [{ type: 'text', text: 'too late' }] };
    });
    server.connect(serverSide).catch((error: unknown) => assert.fail(`the in-memory server did not start: ${String(error)}`));
    generations.push(generation);
    return clientSide;
  };
  return { host: createToolHost([SPEC], { connectTransport, ...options }), generations };
}

async function until(check: () => boolean, what: string, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function rejectsWith(call: Promise<unknown>, kind: ToolHostError['kind'], message?: RegExp): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof ToolHostError, `expected a ToolHostError, got ${String(error)}`);
    assert.equal(error.kind, kind);
    if (message) assert.match(error.message, message);
    return true;
  });
}

test('a call that outlives its timeout fails as a timeout, and the server is told to cancel it', async (t) => {
  const { host: h, generations } = host();
  t.after(() => h.close());
  await rejectsWith(h.callTool('fake.hang', {}, { timeoutMs: 100 }), 'timeout', /did not answer within 100 ms/);
  await until(() => generations[0]!.cancelled.length === 1, 'the server to hear notifications/cancelled');
  // The connection survives a timeout: the next call is answered by the same server.
  assert.equal((await h.callTool('fake.which', {})).content, 'generation 0');
});

test('cancelling a call rejects it as cancelled and tells the server', async (t) => {
  const { host: h, generations } = host();
  t.after(() => h.close());
  const controller = new AbortController();
  const call = h.callTool('fake.hang', {}, { signal: controller.signal });
  setTimeout(() => controller.abort(new Error('the user stopped the task')), 50);
  await rejectsWith(call, 'cancelled');
  await until(() => generations[0]!.cancelled.length === 1, 'the server to hear notifications/cancelled');
});

test('a server that crashes is restarted on the next call; three crashes in a minute open the circuit', async (t) => {
  const { host: h, generations } = host();
  t.after(() => h.close());
  const state = () => h.servers()[0]!.state;
  assert.equal((await h.callTool('fake.which', {})).content, 'generation 0');

  await generations[0]!.transport.close();
  await until(() => state() === 'down', 'the server to be marked down');
  assert.equal((await h.callTool('fake.which', {})).content, 'generation 1');
  assert.equal(state(), 'up');

  await generations[1]!.transport.close();
  await until(() => state() === 'down', 'the second crash');
  assert.equal((await h.callTool('fake.which', {})).content, 'generation 2');

  await generations[2]!.transport.close();
  await until(() => state() === 'circuit_open', 'the circuit to open');
  await rejectsWith(h.callTool('fake.which', {}), 'server_unavailable', /failed 3 times/);
  assert.equal(generations.length, 3, 'no restart while the circuit is open');

  // The user's restart forgets the crashes.
  const restarted = await h.restartServer('fake');
  assert.equal(restarted.state, 'up');
  assert.equal((await h.callTool('fake.which', {})).content, 'generation 3');
});

test('a call in flight when the server dies fails and is not replayed', async (t) => {
  const { host: h, generations } = host();
  t.after(() => h.close());
  await h.listTools();
  const call = h.callTool('fake.hang', {});
  setTimeout(() => void generations[0]!.transport.close(), 50);
  await rejectsWith(call, 'server_unavailable', /stopped during the call/);
  assert.equal(generations.length, 1, 'the call was not sent again to a new connection');
});
