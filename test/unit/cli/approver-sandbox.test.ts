// Approval modes and escalations: no automatic mode grants an escalation; `sandboxed` runs a plain command without a
// question only when the sandbox is really there, and hands everything else to the person.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { automaticApprover, describeRequest, sandboxedApprover } from '../../../extension/cli/approver.js';
import type { ApprovalRequest, Approver } from '../../../extension/core/ports.js';

const policy = { decision: 'ask' as const, rule: 'default: shell commands ask', source: 'default' as const, reason: 'shell commands ask' };
const plain: ApprovalRequest = { kind: 'shell', command: 'npm test', cwd: '.', policy };
const escalation: ApprovalRequest = { kind: 'shell', command: 'curl https://x.dev', cwd: '.', policy, escalation: { reason: 'fetch the schema', network: ['x.dev'], write: ['/srv/out'] } };

test('every automatic mode declines an escalation, even --approve all', async () => {
  for (const mode of ['all', 'edits', 'never'] as const) {
    const a = automaticApprover(mode, () => {});
    assert.deepEqual(await a.approve(escalation), { approved: false }, mode);
  }
  assert.deepEqual(await automaticApprover('all', () => {}).approve(plain), { approved: true });
});

test('sandboxed: plain commands run without asking when the sandbox is active; escalations and edits go to the person', async () => {
  const asked: ApprovalRequest[] = [];
  const person: Approver = { approve: async (r) => (asked.push(r), { approved: false }), askUser: async () => undefined };
  const on = sandboxedApprover(person, true, () => {});
  assert.deepEqual(await on.approve(plain), { approved: true });
  assert.deepEqual(await on.approve(escalation), { approved: false });
  const edit: ApprovalRequest = { kind: 'edit', changeSet: { id: 'c', files: [{ path: 'a', baseHash: null, newContent: 'x', diff: '' }] }, policy };
  await on.approve(edit);
  assert.deepEqual(asked.map((r) => r.kind), ['shell', 'edit']);
  const off = sandboxedApprover(person, false, () => {});
  await off.approve(plain);
  assert.equal(asked.length, 3, 'with no sandbox a plain command asks too');
});

test('the prompt names what an escalation asks for and shows the sandbox', () => {
  const text = describeRequest(escalation, '  sandbox: bubblewrap');
  assert.match(text, /OUTSIDE what the sandbox allows: curl https:\/\/x\.dev/);
  assert.match(text, /it asks for: network to x\.dev; writing \/srv\/out/);
  assert.match(text, /because: fetch the schema/);
  assert.match(text, /sandbox: bubblewrap/);
});
