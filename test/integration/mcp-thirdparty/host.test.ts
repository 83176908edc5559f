// Real third-party MCP servers from the registry (server-everything, server-filesystem) spawned over stdio through
// Tiller's host, configured by a workspace `.mcp.json` with consent, pinned on approval, and gated by the real
// permission engine: a deny rule binds and the default ask applies to third-party tools.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToolHost, type SupervisedToolHost } from '../../../extension/core/tools/host.js';
import { prepareMcpServers } from '../../../extension/core/tools/config/prepare.js';
import { pinnedToolHost } from '../../../extension/core/tools/pinning/pinned-host.js';
import { PinStore } from '../../../extension/core/tools/pinning/store.js';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';
import { ToolGate } from '../../../extension/core/agent/tool-gate.js';
import { memoryTrace } from '../../../extension/core/trace/writer.js';
import type { ServerSpec, ToolDescriptor, ToolHost } from '../../../extension/core/tools/types.js';
import type { ApprovalRequest } from '../../../extension/core/ports.js';
import { recordingApplier, recordingApprover } from '../../helpers/fakes.js';
import { mcpJson } from './servers.js';

let root: string;
let home: string;
let specs: ServerSpec[];
let raw: SupervisedToolHost;

before(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'tiller-3p-ws-')));
  home = mkdtempSync(join(tmpdir(), 'tiller-3p-home-'));
  writeFileSync(join(root, '.mcp.json'), mcpJson());
  writeFileSync(join(root, 'notes.txt'), 'third-party read works\n');
  const consent: string[] = [];
  const prepared = await prepareMcpServers({ workspaceRoot: root, workspaceTrusted: true, home, env: process.env, promptInput: async () => undefined, askServerConsent: async (r) => (consent.push(r.commandLine!), true) });
  assert.deepEqual(prepared.warnings, []);
  assert.equal(consent.length, 2);
  assert.ok(consent[1]!.endsWith(root), 'the consent shows the resolved workspace folder');
  specs = prepared.servers;
  raw = createToolHost(specs, { log: { info() {}, warn() {}, error() {} } });
});

after(async () => {
  await raw.close();
});

test('tools of both servers are listed under their namespaces, with their annotations', async () => {
  const tools = await raw.listTools();
  const names = tools.map((t) => t.name);
  for (const n of ['everything.echo', 'everything.get-sum', 'filesystem.read_text_file', 'filesystem.write_file']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  assert.equal(tools.find((t) => t.name === 'filesystem.write_file')!.annotations?.destructiveHint, true);
});

test('calls reach the real servers: echo, get-sum, read_text_file', async () => {
  assert.match((await raw.callTool('everything.echo', { message: 'hello from tiller' })).content, /hello from tiller/);
  assert.match((await raw.callTool('everything.get-sum', { a: 2, b: 3 })).content, /\b5\b/);
  assert.equal((await raw.callTool('filesystem.read_text_file', { path: join(root, 'notes.txt') })).content.trim(), 'third-party read works');
});

function gateFor(host: ToolHost, tools: ToolDescriptor[], rules: { deny?: string[]; allow?: string[] }, answers: { approved: boolean }[]) {
  const approver = recordingApprover(answers);
  const trace = memoryTrace();
  const policy = createPolicyEngine({ workspaceRoots: [root], userRules: rules });
  const gate = new ToolGate({ host, policy, approver, editApplier: recordingApplier(), trace, agent: 'main', now: () => 0 }, new Map(tools.map((t) => [t.name, t])));
  return { gate, approver, trace };
}

test('approved and pinned, then gated: a deny rule on mcp(filesystem.write_file) binds; third-party tools ask by default', async () => {
  const pinApprover = recordingApprover([{ approved: true }, { approved: true }]);
  const host = pinnedToolHost(raw, { store: new PinStore(home), approver: pinApprover, servers: specs, workspaceRoot: root });
  const tools = await host.listTools();
  const asked = pinApprover.requests.filter((r): r is Extract<ApprovalRequest, { kind: 'mcp_tools' }> => r.kind === 'mcp_tools');
  assert.deepEqual(asked.map((r) => r.server).sort(), ['everything', 'filesystem']);
  assert.ok(asked.every((r) => r.tools.length > 3 && r.tools.every((t) => typeof t.description === 'string')));

  const target = join(root, 'written.txt');
  const denied = gateFor(host, tools, { deny: ['mcp(filesystem.write_file)'] }, [{ approved: true }]);
  const r = await denied.gate.execute(1, { id: 'c1', name: 'filesystem__write_file', arguments: JSON.stringify({ path: target, content: 'x' }) }, 'filesystem.write_file');
  assert.match(r.content, /^Denied by the permission rules \(deny mcp\(filesystem\.write_file\)\)/);
  assert.equal(denied.approver.requests.length, 0, 'a deny never reaches the approver');
  assert.equal(existsSync(target), false);

  // No rule for echo: the default for MCP tools is ask, and everything's readOnlyHint does not change that.
  const ask = gateFor(host, tools, {}, [{ approved: true }]);
  const echoed = await ask.gate.execute(1, { id: 'c2', name: 'everything__echo', arguments: '{"message":"hi"}' }, 'everything.echo');
  assert.equal(ask.approver.requests.length, 1);
  assert.equal(ask.approver.requests[0]!.kind, 'tool');
  assert.match(echoed.content, /hi/);

  // An allow rule lets it run without asking.
  const allowed = gateFor(host, tools, { allow: ['mcp(everything.*)'] }, []);
  const sum = await allowed.gate.execute(1, { id: 'c3', name: 'everything__get-sum', arguments: '{"a":20,"b":22}' }, 'everything.get-sum');
  assert.equal(allowed.approver.requests.length, 0);
  assert.match(sum.content, /\b42\b/);
});
