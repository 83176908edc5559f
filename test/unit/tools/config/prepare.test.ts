import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareMcpServers, type PrepareOptions } from '../../../../extension/core/tools/config/prepare.js';
import type { ConsentRequest } from '../../../../extension/core/tools/config/consent.js';

function setup(mcp: object) {
  const root = mkdtempSync(join(tmpdir(), 'tiller-prep-ws-'));
  const home = mkdtempSync(join(tmpdir(), 'tiller-prep-home-'));
  writeFileSync(join(root, '.mcp.json'), JSON.stringify(mcp));
  const asked: ConsentRequest[] = [];
  let answer = true;
  const options: PrepareOptions = {
    workspaceRoot: root,
    workspaceTrusted: true,
    home,
    env: {},
    promptInput: async () => undefined,
    askServerConsent: async (r) => {
      asked.push(r);
      return answer;
    },
  };
  return { root, home, asked, options, setAnswer: (a: boolean) => (answer = a) };
}

test('a workspace server starts only after consent to its exact command line; the consent is remembered', async () => {
  const s = setup({ mcpServers: { fs: { command: 'npx', args: ['-y', 'some server', '${workspaceFolder}'], env: { NODE_OPTIONS: '--require ./x.js' } } } });
  const first = await prepareMcpServers(s.options);
  assert.deepEqual(first.servers.map((x) => x.name), ['fs']);
  assert.equal(s.asked.length, 1);
  assert.equal(s.asked[0]!.commandLine, `env NODE_OPTIONS='--require ./x.js' npx -y 'some server' ${s.root}`);
  assert.equal(s.asked[0]!.workspace, s.root);
  const stored = JSON.parse(readFileSync(join(s.home, 'consent.json'), 'utf8'));
  assert.equal(stored.grants[0].server, 'fs');
  await prepareMcpServers(s.options);
  assert.equal(s.asked.length, 1, 'not asked again for the same entry');
});

test('changing the entry invalidates the consent', async () => {
  const s = setup({ mcpServers: { fs: { command: 'a' } } });
  await prepareMcpServers(s.options);
  writeFileSync(join(s.root, '.mcp.json'), JSON.stringify({ mcpServers: { fs: { command: 'b' } } }));
  s.setAnswer(false);
  const second = await prepareMcpServers(s.options);
  assert.equal(s.asked.length, 2);
  assert.deepEqual(second.servers, []);
  assert.match(second.warnings[0]!, /"fs" from \.mcp\.json was not started: not approved \(b\)/);
});

test('declined consent is not stored; nothing from an untrusted workspace starts or is even asked', async () => {
  const s = setup({ mcpServers: { fs: { command: 'a' } } });
  s.setAnswer(false);
  assert.deepEqual((await prepareMcpServers(s.options)).servers, []);
  s.setAnswer(true);
  const untrusted = await prepareMcpServers({ ...s.options, workspaceTrusted: false, userServers: { mine: { command: 'm' } } });
  assert.deepEqual(untrusted.servers.map((x) => x.name), ['mine'], 'user servers still start');
  assert.equal(s.asked.length, 1);
  assert.match(untrusted.warnings.join('\n'), /not trusted/);
});

test('user servers need no consent; hidden characters in a workspace command line are shown', async () => {
  const s = setup({ mcpServers: { x: { command: 'node', args: ['safe\u202Ejs.evil'] } } });
  mkdirSync(join(s.root, '.vscode'));
  const r = await prepareMcpServers({ ...s.options, userServers: { u: { command: 'mine' } } });
  assert.deepEqual(r.servers.map((x) => x.name), ['u', 'x']);
  assert.equal(s.asked.length, 1);
  assert.match(s.asked[0]!.commandLine!, /<U\+202E>/);
});

test('a consent file that is not JSON grants nothing', async () => {
  const s = setup({ mcpServers: { fs: { command: 'a' } } });
  writeFileSync(join(s.home, 'consent.json'), '{not json');
  s.setAnswer(false);
  const r = await prepareMcpServers(s.options);
  assert.deepEqual(r.servers, []);
  assert.ok(r.warnings.some((w) => /consent\.json is not valid JSON/.test(w)));
});

test('an input cache kept by the caller is asked once across loads', async () => {
  const s = setup({ mcpServers: {} });
  mkdirSync(join(s.root, '.vscode'));
  writeFileSync(join(s.root, '.vscode', 'mcp.json'), JSON.stringify({ inputs: [{ type: 'promptString', id: 'k', description: 'key' }], servers: { a: { command: 'x', args: ['${input:k}'] } } }));
  let asked = 0;
  const inputCache = new Map<string, string>();
  const options = { ...s.options, inputCache, promptInput: async () => (asked++, 'value-1') };
  await prepareMcpServers(options);
  const again = await prepareMcpServers(options);
  assert.equal(asked, 1);
  assert.deepEqual(again.servers[0]!.transport === 'stdio' ? again.servers[0]!.args : [], ['value-1']);
});

test('only: one server is prepared and consent is asked for it alone (a check run from the servers view)', async () => {
  const s = setup({ mcpServers: { one: { command: 'one-server' }, two: { command: 'two-server' } } });
  const prepared = await prepareMcpServers({ ...s.options, only: 'two' });
  assert.deepEqual(prepared.servers.map((x) => x.name), ['two']);
  assert.deepEqual(s.asked.map((r) => r.server), ['two']);
});
