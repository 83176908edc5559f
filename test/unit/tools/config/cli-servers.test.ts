// The CLI's configured servers: $TILLER_HOME/mcp.json for the user's own, the workspace's files with consent.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCliMcpServers } from '../../../../extension/cli/mcp-servers.js';

const savedHome = process.env.TILLER_HOME;
afterEach(() => {
  if (savedHome === undefined) delete process.env.TILLER_HOME;
  else process.env.TILLER_HOME = savedHome;
});

function dirs(): { ws: string; home: string } {
  const ws = mkdtempSync(join(tmpdir(), 'tiller-cli-mcp-ws-'));
  const home = mkdtempSync(join(tmpdir(), 'tiller-cli-mcp-home-'));
  process.env.TILLER_HOME = home;
  return { ws, home };
}

test('user servers from $TILLER_HOME/mcp.json start without a question, trusted flag kept', async () => {
  const { ws, home } = dirs();
  writeFileSync(join(home, 'mcp.json'), JSON.stringify({ mcpServers: { mine: { command: 'my-server', args: ['--x'], trusted: true } } }));
  const lines: string[] = [];
  const servers = await loadCliMcpServers({ workspaceRoot: ws, env: {}, say: (l) => lines.push(l) });
  assert.deepEqual(servers.map((s) => [s.name, s.source, s.trusted]), [['mine', 'user', true]]);
  assert.deepEqual(lines, []);
});

test('a broken user file is a warning; workspace servers need the terminal or the flag', async () => {
  const { ws, home } = dirs();
  writeFileSync(join(home, 'mcp.json'), '{oops');
  writeFileSync(join(ws, '.mcp.json'), JSON.stringify({ mcpServers: { repo: { command: 'repo-server' } } }));
  const lines: string[] = [];
  assert.deepEqual(await loadCliMcpServers({ workspaceRoot: ws, env: {}, say: (l) => lines.push(l) }), []);
  assert.match(lines.join('\n'), /mcp\.json is not valid JSON/);
  assert.match(lines.join('\n'), /"repo" from \.mcp\.json not started: it needs your consent/);

  const asked: string[] = [];
  const viaTerminal = await loadCliMcpServers({ workspaceRoot: ws, env: {}, say: () => {}, prompt: async (t) => (asked.push(t), 'y') });
  assert.deepEqual(viaTerminal.map((s) => s.name), ['repo']);
  assert.match(asked[0]!, /wants to start the MCP server "repo":\n {2}command: repo-server\nStart it\? \[y\/N\] $/);
});

test('an input in a non-interactive run: the server is skipped with a message naming the input', async () => {
  const { ws } = dirs();
  mkdirSync(join(ws, '.vscode'));
  writeFileSync(
    join(ws, '.vscode', 'mcp.json'),
    JSON.stringify({ inputs: [{ type: 'promptString', id: 'key', description: 'API key', password: true }], servers: { api: { command: 'srv', env: { KEY: '${input:key}' } } } }),
  );
  const lines: string[] = [];
  const servers = await loadCliMcpServers({ workspaceRoot: ws, env: {}, trustFlag: '--trust-workspace-mcp', say: (l) => lines.push(l) });
  assert.deepEqual(servers, []);
  assert.match(lines.join('\n'), /needs the input "key" \(API key\); it can be given only in --approve ask/);
  assert.match(lines.join('\n'), /no value was given for \$\{input:key\}; not started/);
});
