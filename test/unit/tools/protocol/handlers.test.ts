// The client-side protocol handlers, each against an in-process SDK server over InMemoryTransport.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { createMcpClient, type ClientHooks, type ListKind } from '../../../../extension/core/tools/protocol/client-setup.js';
import type { Logger } from '../../../../extension/core/ports.js';

function logger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

async function pair(hooks: Partial<ClientHooks> = {}) {
  const log = logger();
  const changes: ListKind[] = [];
  const client = createMcpClient('srv', { log, roots: () => [], onListChanged: (k) => changes.push(k), ...hooks });
  const server = new Server({ name: 'unit', version: '1.0.0' }, { capabilities: { logging: {}, tools: { listChanged: true } } });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(b), client.connect(a)]);
  return { client, server, log, changes, close: () => Promise.all([client.close(), server.close()]) };
}

test('capabilities are declared only for what the host can serve', async () => {
  const bare = await pair();
  assert.deepEqual(bare.server.getClientCapabilities(), { roots: { listChanged: true } });
  await bare.close();
  const full = await pair({
    elicitor: { elicit: async () => ({ action: 'decline' }) },
    sampling: { approver: { approve: async () => ({ approved: false }), askUser: async () => undefined }, sample: async () => ({ text: '', model: 'm' }) },
  });
  const caps = full.server.getClientCapabilities();
  assert.ok(caps?.elicitation !== undefined && caps.sampling !== undefined);
  await full.close();
});

test('roots/list answers with file URIs of the current roots', async () => {
  let roots = ['/work/a b'];
  const p = await pair({ roots: () => roots });
  assert.deepEqual((await p.server.listRoots()).roots, [{ uri: 'file:///work/a%20b', name: 'a b' }]);
  roots = ['/x', '/y'];
  assert.deepEqual((await p.server.listRoots()).roots.map((r) => r.uri), ['file:///x', 'file:///y']);
  await p.close();
});

test('elicitation: defaults applied, a declined answer carries no content, a bad answer becomes cancel', async () => {
  let answer: Awaited<ReturnType<NonNullable<ClientHooks['elicitor']>['elicit']>> = { action: 'accept', content: {} };
  const p = await pair({ elicitor: { elicit: async () => answer } });
  const requestedSchema = {
    type: 'object' as const,
    properties: { name: { type: 'string' as const, default: 'Ada' }, age: { type: 'integer' as const, minimum: 0 } },
    required: ['name'],
  };
  assert.deepEqual(await p.server.elicitInput({ mode: 'form', message: 'Who?', requestedSchema }), { action: 'accept', content: { name: 'Ada' } });
  answer = { action: 'decline', content: { name: 'ignored' } };
  assert.deepEqual(await p.server.elicitInput({ mode: 'form', message: 'Who?', requestedSchema }), { action: 'decline' });
  answer = { action: 'accept', content: { name: 'Bo', age: -3 } };
  assert.deepEqual(await p.server.elicitInput({ mode: 'form', message: 'Who?', requestedSchema }), { action: 'cancel' });
  assert.ok(p.log.lines.some((l) => /did not match the form/.test(l) && /age/.test(l)));
  await p.close();
});

test('sampling: declined requests fail with the user-rejected code and never reach the model', async () => {
  let sampled = 0;
  const p = await pair({
    sampling: {
      approver: { approve: async () => ({ approved: false }), askUser: async () => undefined },
      sample: async () => (sampled++, { text: 'x', model: 'm' }),
    },
  });
  await assert.rejects(
    p.server.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 }),
    (e: unknown) => e instanceof McpError && e.code === -1,
  );
  assert.equal(sampled, 0);
  await p.close();
});

test('server log messages are routed by level and cleaned of control characters', async () => {
  const p = await pair();
  await p.server.sendLoggingMessage({ level: 'error', logger: 'db', data: 'boom\u001b[2J' });
  await p.server.sendLoggingMessage({ level: 'info', data: { n: 1 } });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(p.log.lines, ['error MCP server srv/db [error]: boom[2J', 'info MCP server srv [info]: {"n":1}']);
  await p.close();
});

test('list_changed notifications reach the callback with their kind', async () => {
  const p = await pair();
  await p.server.sendToolListChanged();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(p.changes, ['tools']);
  await p.close();
});
