// Class 10 and 12 of issue 12 at the approval: the shell tool's `cwd` reaches the decision and every approval text,
// and control characters (CR, ANSI escapes, bidi overrides, zero-width) are escaped in the CLI's text as in the
// webview's, so the text approved is the text that runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ToolGate } from '../../../extension/core/agent/tool-gate.js';
import { actionsForToolCall } from '../../../extension/core/agent/tool-actions.js';
import { describeRequest } from '../../../extension/cli/approver.js';
import { describeApproval } from '../../../extension/vscode/approval-text.js';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';
import { initShellParser } from '../../../extension/core/policy/shell-parser.js';
import { escapeControl } from '../../../extension/core/policy/escape-control.js';
import { memoryTrace } from '../../../extension/core/trace/writer.js';
import type { PolicyDecision } from '../../../extension/core/policy/types.js';
import { BUILTIN_TOOLS, fakeHost, recordingApplier, recordingApprover } from '../../helpers/fakes.js';
import { makeWorkspace } from './workspace.js';

before(() => initShellParser());
const ws = makeWorkspace();
after(() => ws.cleanup());

const policy: PolicyDecision = { decision: 'ask', rule: 'default: shell commands ask', source: 'default', reason: 'shell commands ask' };
const HIDDEN = ['\r', '\u001b', '\u202e', '\u2066', '\u200b', '\u2060', '\u00ad', '\u0085', '\u2028'];

test('the shell tool call carries its cwd into the decision', () => {
  assert.deepEqual(actionsForToolCall('shell.run_command', { command: 'ls', cwd: 'config' }), [{ kind: 'shell', command: 'ls', cwd: 'config' }]);
  assert.deepEqual(actionsForToolCall('shell.run_command', { command: 'ls' }), [{ kind: 'shell', command: 'ls' }]);
});

test('a user deny on a directory binds through the cwd argument, at the gate', async () => {
  const engine = createPolicyEngine({ workspaceRoots: [ws.root], userRules: { allow: ['shell(cat *)'], deny: ['read(docs/private/**)'] }, caseInsensitive: false });
  const host = fakeHost({ 'shell.run_command': () => ({ content: 'plan', isError: false }) });
  const approver = recordingApprover([]);
  const gate = new ToolGate({ host, policy: engine, approver, editApplier: recordingApplier(), trace: memoryTrace(), agent: 'main', now: () => 0 }, new Map(BUILTIN_TOOLS.map((t) => [t.name, t])));
  const r = await gate.execute(1, { id: 'c1', name: 'shell__run_command', arguments: JSON.stringify({ command: 'cat plan.md', cwd: 'docs/private' }) }, 'shell.run_command');
  assert.match(r.content, /^Denied by the permission rules \(deny read\(docs\/private\/\*\*\)\)/);
  assert.equal(host.calls.length, 0, 'the command did not run');
});

test('the approver is shown the cwd the command runs in', async () => {
  const engine = createPolicyEngine({ workspaceRoots: [ws.root], caseInsensitive: false });
  const host = fakeHost({ 'shell.run_command': () => ({ content: '', isError: false }) });
  const approver = recordingApprover([{ approved: false }] as never);
  const gate = new ToolGate({ host, policy: engine, approver, editApplier: recordingApplier(), trace: memoryTrace(), agent: 'main', now: () => 0 }, new Map(BUILTIN_TOOLS.map((t) => [t.name, t])));
  await gate.execute(1, { id: 'c1', name: 'shell__run_command', arguments: JSON.stringify({ command: 'echo x >> config', cwd: '.git' }) }, 'shell.run_command');
  const request = approver.requests[0] as { kind: string; cwd: string; policy: PolicyDecision };
  assert.equal(request.kind, 'shell');
  assert.equal(request.cwd, '.git');
  assert.equal(request.policy.rule, 'builtin: working directory');
  assert.match(describeRequest(request as never), /in: \.git/);
  const shown = describeApproval(request as never);
  assert.match(shown.message, /in \.git/);
  assert.match(shown.detail, /In: \.git/);
});

test('the CLI approval escapes every hidden character, so a CR cannot draw `npm test` over the real line', () => {
  const command = 'rm -rf ~ #\rnpm test\u001b[2K \u202eexe.sh \u2066x\u2069 a\u200bb \u2060 \u00ad \u0085 \u2028';
  const text = describeRequest({ kind: 'shell', command, cwd: 'sub\r.', policy: { ...policy, reason: 'because\u001b[1A' } });
  for (const c of HIDDEN) assert.ok(!text.includes(c), `U+${c.charCodeAt(0).toString(16)} reached the terminal`);
  assert.match(text, /run the command: rm -rf ~ #\\u000dnpm test\\u001b\[2K/);
  assert.match(text, /in: sub\\u000d\./);
  const tool = describeRequest({ kind: 'tool', tool: 'x.y', args: { a: 'b\u202ec' }, policy });
  assert.ok(!tool.includes('\u202e'));
});

test('the webview approval escapes the same characters', () => {
  const command = 'echo ok\r\u2066\u2060\u00ad\u2028';
  const t = describeApproval({ kind: 'shell', command, cwd: '.', policy });
  for (const c of HIDDEN) assert.ok(!t.message.includes(c) && !t.detail.includes(c));
});

test('escapeControl keeps newlines and tabs and ordinary text', () => {
  assert.equal(escapeControl('a\nb\tc é 日本'), 'a\nb\tc é 日本');
  assert.equal(escapeControl('\r\u001b'), '\\u000d\\u001b');
});

test('the chat card shows the command and its folder with hidden characters escaped', async () => {
  const { approvalView } = await import('../../../extension/vscode/webview-approver.js');
  const view = approvalView({ kind: 'shell', command: 'rm -rf ~\rnpm test', cwd: 'a\u202eb', policy });
  assert.equal(view.kind, 'shell');
  if (view.kind === 'shell') {
    assert.equal(view.command, 'rm -rf ~\\u000dnpm test');
    assert.equal(view.cwd, 'a\\u202eb');
  }
});
