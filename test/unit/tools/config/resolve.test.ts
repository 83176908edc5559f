import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveServer, type PromptInput } from '../../../../extension/core/tools/config/resolve.js';
import type { ConfiguredServer } from '../../../../extension/core/tools/config/types.js';
import { parseEnvFile } from '../../../../extension/core/tools/config/variables.js';

function server(over: Partial<ConfiguredServer>): ConfiguredServer {
  return { name: 's', source: 'workspace', origin: '.vscode/mcp.json', transport: 'stdio', command: 'node', args: [], env: {}, unsetEnv: [], headers: {}, inputs: [], trusted: false, hash: 'h', ...over };
}

test('resolves ${workspaceFolder}, ${env:NAME} and ${input:ID}, asking each input once', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tiller-resolve-'));
  const asked: string[] = [];
  const promptInput: PromptInput = async (i) => {
    asked.push(`${i.id}:${i.password}:${i.description}`);
    return 'input-value-123';
  };
  const secrets: string[] = [];
  const inputCache = new Map<string, string>();
  const s = server({
    command: '${workspaceFolder}/bin/srv',
    args: ['--token', '${input:tok}', '--home', '${env:MY_HOME}'],
    env: { KEY: '${input:tok}' },
    inputs: [{ type: 'promptString', id: 'tok', description: 'The token', password: true }],
  });
  const spec = await resolveServer(s, { workspaceRoot: root, env: { MY_HOME: '/home/me-value' }, promptInput, inputCache, registerSecret: (v) => secrets.push(v) });
  assert.equal(spec.transport, 'stdio');
  if (spec.transport !== 'stdio') return;
  assert.equal(spec.command, `${root}/bin/srv`);
  assert.deepEqual(spec.args, ['--token', 'input-value-123', '--home', '/home/me-value']);
  assert.deepEqual(spec.env, { KEY: 'input-value-123' });
  assert.equal(spec.cwd, root);
  assert.equal(spec.source, 'workspace');
  assert.equal(spec.configHash, 'h');
  assert.deepEqual(asked, ['tok:true:The token']);
  assert.ok(secrets.includes('input-value-123') && secrets.includes('/home/me-value'));
  // A second server using the same input is not asked again.
  await resolveServer(s, { workspaceRoot: root, env: {}, promptInput, inputCache, registerSecret: () => {} });
  assert.equal(asked.length, 1);
});

test('headers are registered as secrets, the bearer token on its own too', async () => {
  const secrets: string[] = [];
  const spec = await resolveServer(server({ transport: 'http', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer ${env:TOK}' } }), {
    env: { TOK: 'abcdefghijkl' },
    promptInput: async () => undefined,
    registerSecret: (v) => secrets.push(v),
  });
  assert.deepEqual(spec.transport === 'http' ? spec.headers : undefined, { Authorization: 'Bearer abcdefghijkl' });
  assert.ok(secrets.includes('Bearer abcdefghijkl'));
  assert.ok(secrets.includes('abcdefghijkl'));
});

test('an unanswered input, an undeclared input or an unknown variable is an error naming the server', async () => {
  const ctx = { env: {}, promptInput: async () => undefined, registerSecret: () => {} };
  await assert.rejects(
    resolveServer(server({ args: ['${input:x}'], inputs: [{ type: 'promptString', id: 'x', description: '' }] }), ctx),
    /MCP server "s" \(\.vscode\/mcp\.json\): no value was given for \$\{input:x\}/,
  );
  await assert.rejects(resolveServer(server({ args: ['${input:y}'] }), ctx), /\$\{input:y\} is not declared/);
  await assert.rejects(resolveServer(server({ args: ['${command:foo}'] }), ctx), /unsupported variable \$\{command:foo\}/);
  await assert.rejects(resolveServer(server({ transport: 'http', url: 'file:///etc/passwd' }), ctx), /must be http or https/);
});

test('envFile is read relative to the workspace and explicit env wins; null entries unset', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tiller-resolve-'));
  writeFileSync(join(root, '.env.mcp'), '# comment\nexport A=from-file\nB="quoted value"\nC=drop\n');
  const spec = await resolveServer(server({ envFile: '.env.mcp', env: { B: 'explicit' }, unsetEnv: ['C'] }), { workspaceRoot: root, env: {}, promptInput: async () => undefined, registerSecret: () => {} });
  assert.deepEqual(spec.transport === 'stdio' ? spec.env : undefined, { A: 'from-file', B: 'explicit' });
});

test('parseEnvFile handles quotes, comments and export', () => {
  assert.deepEqual(parseEnvFile("A=1\n#x\n export B = two # note\nC='a # b'\nD=\"x\\ny\"\nbad line"), { A: '1', B: 'two', C: 'a # b', D: 'x\ny' });
});

test('a secret with quotes is registered in its JSON-escaped form too', async () => {
  const secrets: string[] = [];
  await resolveServer(server({ env: { K: 'pa"ss\\word-123' } }), { env: {}, promptInput: async () => undefined, registerSecret: (v) => secrets.push(v) });
  assert.ok(secrets.includes('pa"ss\\word-123'));
  assert.ok(secrets.includes('pa\\"ss\\\\word-123'));
});
