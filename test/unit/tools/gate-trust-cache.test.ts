// The tool gate's hooks for third-party servers: annotations only spare a question for a server the user trusts,
// and cached results are marked in the trace after passing policy like any other call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToolGate } from '../../../extension/core/agent/tool-gate.js';
import { cachingToolHost } from '../../../extension/core/tools/cache.js';
import { memoryTrace } from '../../../extension/core/trace/writer.js';
import type { PolicyEngine } from '../../../extension/core/policy/types.js';
import type { ToolDescriptor, ToolHost } from '../../../extension/core/tools/types.js';
import { BUILTIN_TOOLS, fakeHost, recordingApplier, recordingApprover, tablePolicy, tool } from '../../helpers/fakes.js';

function gate(host: ToolHost, tools: ToolDescriptor[], policy: PolicyEngine, answers = [] as { approved: boolean }[]) {
  const trace = memoryTrace();
  const approver = recordingApprover(answers as never);
  const g = new ToolGate({ host, policy, approver, editApplier: recordingApplier(), trace, agent: 'main', now: () => 0 }, new Map(tools.map((t) => [t.name, t])));
  return { g, trace, approver };
}

const askMcp = tablePolicy([{ match: (a) => a.kind === 'mcp', decision: 'ask' }]);
const readOnly = (trusted: boolean): ToolDescriptor => ({ ...tool('ext.lookup'), annotations: { readOnlyHint: true, destructiveHint: false }, ...(trusted ? { trusted } : {}) });
const call = (name: string, args = '{}') => ({ id: 'c1', name, arguments: args });

test('an untrusted server claiming readOnlyHint is still asked', async () => {
  const d = readOnly(false);
  const { g, approver } = gate(fakeHost({ 'ext.lookup': () => ({ content: 'r', isError: false }) }, [d]), [d], askMcp, [{ approved: false }]);
  const r = await g.execute(1, call('ext__lookup'), 'ext.lookup');
  assert.equal(approver.requests.length, 1);
  assert.equal(r.isError, true);
});

test('a trusted server read-only tool is not asked under the default ask; an explicit ask rule still asks', async () => {
  const d = readOnly(true);
  const host = fakeHost({ 'ext.lookup': () => ({ content: 'r', isError: false }) }, [d]);
  const trusted = gate(host, [d], askMcp);
  const r = await trusted.g.execute(1, call('ext__lookup'), 'ext.lookup');
  assert.equal(r.content, 'r');
  assert.equal(trusted.approver.requests.length, 0);
  assert.ok(trusted.trace.events.some((e) => e.type === 'notice' && /trusted/.test(e.message)));

  const userAsk: PolicyEngine = { decide: () => ({ decision: 'ask', rule: 'ask mcp(ext.*)', source: 'user', reason: 'user rule' }) };
  const explicit = gate(host, [d], userAsk, [{ approved: false }]);
  await explicit.g.execute(1, call('ext__lookup'), 'ext.lookup');
  assert.equal(explicit.approver.requests.length, 1);

  const destructive = { ...d, annotations: { readOnlyHint: true, destructiveHint: true } };
  const claimsBoth = gate(host, [destructive], askMcp, [{ approved: false }]);
  await claimsBoth.g.execute(1, call('ext__lookup'), 'ext.lookup');
  assert.equal(claimsBoth.approver.requests.length, 1);
});

test('a cache hit passes policy again and is marked cached in the trace; a deny still binds', async () => {
  const inner = fakeHost({ 'workspace.read_file': () => ({ content: 'text', isError: false }) });
  const host = cachingToolHost(inner);
  await host.listTools();
  let deny = false;
  const policy: PolicyEngine = { decide: () => (deny ? { decision: 'deny', rule: 'deny read(a)', source: 'user', reason: 'no' } : { decision: 'allow', rule: 'r', source: 'default', reason: 'ok' }) };
  const { g, trace } = gate(host, BUILTIN_TOOLS, policy);
  await g.execute(1, call('workspace__read_file', '{"path":"a"}'), 'workspace.read_file');
  await g.execute(2, call('workspace__read_file', '{"path":"a"}'), 'workspace.read_file');
  const results = trace.events.filter((e) => e.type === 'tool_result');
  assert.deepEqual(results.map((e) => (e as { cached?: boolean }).cached), [undefined, true]);
  assert.equal(inner.calls.length, 1);
  deny = true;
  const denied = await g.execute(3, call('workspace__read_file', '{"path":"a"}'), 'workspace.read_file');
  assert.match(denied.content, /^Denied/);
});
