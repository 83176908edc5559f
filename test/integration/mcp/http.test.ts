// The workspace server over Streamable HTTP on loopback: reachable by the SDK client and by the host, closed
// to requests whose Host or Origin betray a foreign page (DNS rebinding).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createToolHost } from '../../../extension/core/tools/host.js';
import { ToolHostError } from '../../../extension/core/tools/types.js';
import { buildBundles } from '../../helpers/bundles.js';
import { waitFor, waitGone } from './wait.js';

let root: string;
let server: ChildProcess;
let port: number;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function post(headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

before(async () => {
  const dist = await buildBundles();
  root = mkdtempSync(join(tmpdir(), 'tiller-http-ws-'));
  writeFileSync(join(root, 'hello.txt'), 'hello over http\n');
  port = await freePort();
  server = spawn(process.execPath, [join(dist, 'mcp-workspace.js'), '--root', root, '--http', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await waitFor(() => stderr.includes('listening on') || undefined, `the HTTP server to listen (stderr: ${stderr})`);
});

after(async () => {
  server.kill('SIGTERM');
  await waitGone(server.pid!, 'the HTTP server');
  rmSync(root, { recursive: true, force: true });
});

test('the SDK client lists tools and reads a file over Streamable HTTP', async () => {
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  try {
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'propose_edit'));
    const result = await client.callTool({ name: 'read_file', arguments: { path: 'hello.txt' } });
    assert.deepEqual(result.content, [{ type: 'text', text: 'File: hello.txt (lines 1-1 of 1)\nhello over http\n' }]);
  } finally {
    await client.close();
  }
});

test('the host reaches an HTTP server as `server.tool`', async () => {
  const host = createToolHost([{ name: 'remote', transport: 'http', url: `http://localhost:${port}/mcp` }]);
  try {
    assert.ok((await host.listTools()).some((t) => t.name === 'remote.read_file'));
    assert.equal((await host.callTool('remote.find_files', { pattern: '*.txt' })).content, 'hello.txt');
  } finally {
    await host.close();
  }
});

test('an unreachable HTTP server is reported, not fatal', async () => {
  const deadPort = await freePort();
  const logged: string[] = [];
  const host = createToolHost([{ name: 'gone', transport: 'http', url: `http://127.0.0.1:${deadPort}/mcp` }], {
    log: { info() {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) },
  });
  try {
    assert.deepEqual(await host.listTools(), []);
    assert.ok(logged.some((m) => /gone could not connect/.test(m)));
    await assert.rejects(host.callTool('gone.read_file', { path: 'x' }), (e: unknown) => e instanceof ToolHostError && e.kind === 'server_unavailable');
  } finally {
    await host.close();
  }
});

test('a foreign Host or Origin gets 403', async () => {
  assert.equal((await post({ host: `127.0.0.1:${port}` })).status, 200);
  const foreignHost = await post({ host: `evil.example:${port}` });
  assert.equal(foreignHost.status, 403);
  assert.match((JSON.parse(foreignHost.body) as { error: { message: string } }).error.message, /Host "evil\.example:\d+" is not allowed/);
  assert.equal((await post({ host: `127.0.0.1:${port + 1}` })).status, 403);
  const foreignOrigin = await post({ host: `localhost:${port}`, origin: 'https://evil.example' });
  assert.equal(foreignOrigin.status, 403);
  assert.match(foreignOrigin.body, /not a loopback origin/);
  assert.equal((await post({ host: `localhost:${port}`, origin: `http://127.0.0.1:${port}` })).status, 200);
});
