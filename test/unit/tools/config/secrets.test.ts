import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareMcpServers } from '../../../../extension/core/tools/config/prepare.js';
import { openTraceFile } from '../../../../extension/core/trace/writer.js';

test('password inputs, env values and headers of configured servers never reach a trace', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tiller-secret-ws-'));
  const home = mkdtempSync(join(tmpdir(), 'tiller-secret-home-'));
  mkdirSync(join(root, '.vscode'));
  writeFileSync(
    join(root, '.vscode', 'mcp.json'),
    JSON.stringify({
      inputs: [{ type: 'promptString', id: 'pw', description: 'Password', password: true }],
      servers: { db: { command: 'db-server', env: { DB_PASSWORD: '${input:pw}' } } },
    }),
  );
  writeFileSync(
    join(root, '.mcp.json'),
    JSON.stringify({ mcpServers: { api: { type: 'http', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer ${env:API_TOKEN_T1}' } } } }),
  );
  const password = 'pw-input-6f1c2d9e';
  const envValue = 'tok-env-93ab71c4d2';
  const literal = 'literal-env-5d8e2a';
  const { servers, warnings } = await prepareMcpServers({
    workspaceRoot: root,
    workspaceTrusted: true,
    home,
    env: { API_TOKEN_T1: envValue },
    askServerConsent: async () => true,
    promptInput: async () => password,
    userServers: { local: { command: 'srv', env: { LITERAL: literal } } },
  });
  assert.deepEqual(warnings, []);
  assert.deepEqual(servers.map((s) => s.name), ['local', 'db', 'api']);

  const tracePath = join(home, 'trace.jsonl');
  const trace = openTraceFile(tracePath, 'secret-test');
  trace.emit('main', { type: 'tool_call', step: 1, callId: 'c1', tool: 'api.echo', args: { text: `echo ${password} / ${envValue} / ${literal}` } });
  trace.emit('main', { type: 'notice', step: 1, message: `the server said ${envValue}${password}` });
  trace.close();
  const text = readFileSync(tracePath, 'utf8');
  assert.ok(text.includes('api.echo'));
  for (const secret of [password, envValue, literal]) assert.ok(!text.includes(secret), `${secret} leaked into the trace`);
});
