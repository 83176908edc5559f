// A server that only speaks the 2024-11-05 HTTP+SSE transport: the host's `http` config tries Streamable HTTP, gets
// 405, and falls back to SSE; `sse` goes to SSE directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { createToolHost } from '../../../extension/core/tools/host.js';
import { buildProtocolServer } from '../../fixtures/mcp/protocol-server-def.js';

async function legacyServer(): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const sessions = new Map<string, SSEServerTransport>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method ?? '?'} ${url.pathname}`);
    if (req.method === 'GET' && url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      sessions.set(transport.sessionId, transport);
      void buildProtocolServer().connect(transport);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/messages') {
      const transport = sessions.get(url.searchParams.get('sessionId') ?? '');
      if (transport === undefined) return void res.writeHead(404).end();
      void transport.handlePostMessage(req, res);
      return;
    }
    res.writeHead(405, { allow: 'GET' }).end('method not allowed');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sse`, requests, server };
}

test('an http server answering 405 to Streamable HTTP is reached over legacy SSE', async () => {
  const legacy = await legacyServer();
  const host = createToolHost([{ name: 'old', transport: 'http', url: legacy.url }], { connectTimeoutMs: 10_000 });
  try {
    const result = await host.callTool('old.log', { level: 'info', message: 'hi' });
    assert.equal(result.content, 'logged');
    assert.equal(legacy.requests[0], 'POST /sse', 'Streamable HTTP was tried first');
    assert.ok(legacy.requests.includes('GET /sse'), 'then the SSE stream was opened');
    assert.deepEqual(host.servers().map((s) => s.state), ['up']);
  } finally {
    await host.close();
    legacy.server.closeAllConnections();
    legacy.server.close();
  }
});

test('transport sse skips the Streamable HTTP attempt', async () => {
  const legacy = await legacyServer();
  const host = createToolHost([{ name: 'old', transport: 'sse', url: legacy.url }], { connectTimeoutMs: 10_000 });
  try {
    assert.ok((await host.listTools()).some((t) => t.name === 'old.slow_progress'));
    assert.ok(!legacy.requests.includes('POST /sse'));
  } finally {
    await host.close();
    legacy.server.closeAllConnections();
    legacy.server.close();
  }
});
