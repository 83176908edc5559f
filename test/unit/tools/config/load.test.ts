import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMcpServers } from '../../../../extension/core/tools/config/load.js';
import { mcpServersJsonSchema } from '../../../../extension/core/tools/config/schema.js';

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tiller-mcpcfg-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

test('reads .vscode/mcp.json (with comments), .mcp.json and user settings, each with its source', () => {
  const root = workspace({
    '.vscode/mcp.json': `{
      // VS Code allows comments and trailing commas
      "inputs": [{ "type": "promptString", "id": "tok", "description": "Token", "password": true }],
      "servers": {
        "gh": { "type": "http", "url": "https://example.com/mcp", "headers": { "Authorization": "Bearer \${input:tok}" } },
        "local": { "command": "node", "args": ["srv.js"], "env": { "A": "1", "B": null } },
      },
    }`,
    '.mcp.json': JSON.stringify({ mcpServers: { fs: { command: 'npx', args: ['-y', 'x'] }, remote: { type: 'sse', url: 'http://127.0.0.1:1/sse' } } }),
  });
  const r = loadMcpServers({ workspaceRoot: root, userServers: { mine: { command: 'my-server', trusted: true } } });
  assert.deepEqual(r.errors, []);
  const byName = new Map(r.servers.map((s) => [s.name, s]));
  assert.deepEqual([...byName.keys()], ['mine', 'gh', 'local', 'fs', 'remote']);
  assert.equal(byName.get('mine')!.source, 'user');
  assert.equal(byName.get('mine')!.trusted, true);
  assert.equal(byName.get('gh')!.transport, 'http');
  assert.equal(byName.get('gh')!.inputs[0]!.id, 'tok');
  assert.equal(byName.get('local')!.transport, 'stdio');
  assert.deepEqual(byName.get('local')!.env, { A: '1' });
  assert.deepEqual(byName.get('local')!.unsetEnv, ['B']);
  assert.equal(byName.get('remote')!.transport, 'sse');
  assert.equal(byName.get('fs')!.source, 'workspace');
  for (const s of r.servers) assert.match(s.hash, /^[0-9a-f]{64}$/);
});

test('trusted is ignored in workspace files', () => {
  const root = workspace({ '.mcp.json': JSON.stringify({ mcpServers: { fs: { command: 'x', trusted: true } } }) });
  const r = loadMcpServers({ workspaceRoot: root });
  assert.equal(r.servers[0]!.trusted, false);
});

test('a bad file is reported with the field path and skipped; the other sources still load', () => {
  const root = workspace({
    '.vscode/mcp.json': JSON.stringify({ servers: { bad: { type: 'http' } } }),
    '.mcp.json': JSON.stringify({ mcpServers: { ok: { command: 'x' } } }),
  });
  const r = loadMcpServers({ workspaceRoot: root, userServers: { u: { command: 7 } } });
  assert.deepEqual(r.servers.map((s) => s.name), ['ok']);
  assert.equal(r.errors.length, 2);
  assert.match(r.errors[0]!, /^tiller\.mcpServers: u\.command: /);
  assert.match(r.errors[1]!, /^\.vscode\/mcp\.json: servers\.bad: .*needs `url`/);
});

test('invalid JSON names the line', () => {
  const root = workspace({ '.mcp.json': '{\n  "mcpServers": {\n    "a": { "command": "x" \n' });
  const r = loadMcpServers({ workspaceRoot: root });
  assert.equal(r.servers.length, 0);
  assert.match(r.errors[0]!, /^\.mcp\.json: not valid JSON at line \d+/);
});

test('built-in names, bad names and duplicates are refused; the user entry wins a clash', () => {
  const root = workspace({
    '.vscode/mcp.json': JSON.stringify({ servers: { workspace: { command: 'evil' }, shared: { command: 'repo' }, 'a.b': { command: 'x' } } }),
    '.mcp.json': JSON.stringify({ mcpServers: { shell: { command: 'evil' } } }),
  });
  const r = loadMcpServers({ workspaceRoot: root, userServers: { shared: { command: 'mine' } } });
  assert.deepEqual(r.servers.map((s) => `${s.name}:${s.command}`), ['shared:mine']);
  assert.equal(r.errors.length, 4);
  assert.ok(r.errors.some((e) => /"workspace" is reserved/.test(e)));
  assert.ok(r.errors.some((e) => /"shell" is reserved/.test(e)));
  assert.ok(r.errors.some((e) => /already configured in tiller\.mcpServers/.test(e)));
});

test('the hash changes with the command, args, env or url, and with the env file', () => {
  const hashOf = (entry: object, envFile?: string) => {
    const root = workspace({ '.vscode/mcp.json': JSON.stringify({ servers: { s: entry } }), ...(envFile ? { 'x.env': envFile } : {}) });
    return loadMcpServers({ workspaceRoot: root }).servers[0]!.hash;
  };
  const base = hashOf({ command: 'node', args: ['a'] });
  assert.equal(hashOf({ args: ['a'], command: 'node' }), base, 'key order does not matter');
  assert.notEqual(hashOf({ command: 'node', args: ['b'] }), base);
  assert.notEqual(hashOf({ command: 'nodejs', args: ['a'] }), base);
  assert.notEqual(hashOf({ command: 'node', args: ['a'], env: { X: '1' } }), base);
  const withFile = hashOf({ command: 'node', args: ['a'], envFile: 'x.env' }, 'A=1');
  assert.notEqual(hashOf({ command: 'node', args: ['a'], envFile: 'x.env' }, 'A=2'), withFile);
});

test('schemas/mcp-servers.schema.json matches the zod schema', () => {
  const file = join(__dirname, '..', '..', '..', '..', 'schemas', 'mcp-servers.schema.json');
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), mcpServersJsonSchema());
});
