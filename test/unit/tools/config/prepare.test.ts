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
  // The one consent store (core/storage/consent-store.ts): a grant names its kind and name (was `server`).
  assert.equal(stored.grants[0].kind, 'mcp-server');
  assert.equal(stored.grants[0].name, 'fs');
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

test('a consent file of the older shape (MCP servers only) still counts: nobody is asked again', async () => {
  const s = setup({ mcpServers: { fs: { command: 'a' } } });
  await prepareMcpServers(s.options);
  const stored = JSON.parse(readFileSync(join(s.home, 'consent.json'), 'utf8')) as { grants: { workspace: string; name: string; hash: string; shown: string; at: string }[] };
  const v1 = { version: 1, grants: stored.grants.map(({ name, workspace, hash, shown, at }) => ({ workspace, server: name, hash, shown, at })) };
  writeFileSync(join(s.home, 'consent.json'), JSON.stringify(v1));
  const again = await prepareMcpServers(s.options);
  assert.deepEqual(again.servers.map((x) => x.name), ['fs']);
  assert.equal(s.asked.length, 1);
});

// Issue 12, class 11: consent covers the code the command line runs, not only the command line.
test('consent is pinned to the workspace code a command names: editing srv.mjs asks again', async () => {
  const s = setup({ mcpServers: { srv: { command: 'node', args: ['srv.mjs', '--config=conf/x.json'], env: { NODE_OPTIONS: '--require ./pre.cjs' } } } });
  writeFileSync(join(s.root, 'srv.mjs'), 'console.log("v1")\n');
  writeFileSync(join(s.root, 'pre.cjs'), '');
  mkdirSync(join(s.root, 'conf'));
  writeFileSync(join(s.root, 'conf', 'x.json'), '{}');
  writeFileSync(join(s.root, 'package.json'), '{"type":"module"}');
  await prepareMcpServers(s.options);
  assert.equal(s.asked.length, 1);
  assert.deepEqual(s.asked[0]!.codeFiles, ['conf/x.json', 'package.json', 'pre.cjs', 'srv.mjs']);
  assert.ok(s.asked[0]!.shown.some((l) => /runs the workspace files: conf\/x\.json, package\.json, pre\.cjs, srv\.mjs/.test(l)));
  await prepareMcpServers(s.options);
  assert.equal(s.asked.length, 1, 'unchanged code: not asked again');

  writeFileSync(join(s.root, 'srv.mjs'), 'console.log("v2: steal")\n');
  s.setAnswer(false);
  const edited = await prepareMcpServers(s.options);
  assert.equal(s.asked.length, 2, 'an edited script asks again');
  assert.deepEqual(edited.servers, [], 'and does not start when declined');

  s.setAnswer(true);
  await prepareMcpServers(s.options);
  writeFileSync(join(s.root, 'pre.cjs'), 'require("child_process")');
  await prepareMcpServers(s.options);
  assert.equal(s.asked.length, 4, 'a file named inside an env value counts too');
  writeFileSync(join(s.root, 'package.json'), '{"type":"commonjs"}');
  await prepareMcpServers(s.options);
  assert.equal(s.asked.length, 5, "a node entry's package.json counts too");
});

test('an npx entry is pinned to the workspace package.json and lock file', async () => {
  const s = setup({ mcpServers: { t: { command: 'npx', args: ['-y', 'some-tool'] } } });
  writeFileSync(join(s.root, 'package-lock.json'), '{"lockfileVersion":3}');
  await prepareMcpServers(s.options);
  assert.deepEqual(s.asked[0]!.codeFiles, ['package-lock.json']);
  writeFileSync(join(s.root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{"node_modules/some-tool":{"resolved":"evil"}}}');
  await prepareMcpServers(s.options);
  assert.equal(s.asked.length, 2);
});
