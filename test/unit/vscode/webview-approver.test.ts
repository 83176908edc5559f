import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebviewApprover, approvalView } from '../../../extension/vscode/webview-approver.js';
import { addAllowRule, alwaysRuleFor } from '../../../extension/vscode/chat-always-rule.js';
import { parseProjectRules } from '../../../extension/core/policy/load.js';
import { unifiedDiff } from '../../../mcp-servers/common/diff.js';
import type { HostMessage } from '../../../extension/protocol/messages.js';
import type { ApprovalRequest } from '../../../extension/core/ports.js';
import { recordingApprover } from '../../helpers/fakes.js';
import { silentLogger } from '../../../extension/core/ports.js';

const policy = { decision: 'ask' as const, rule: 'ask shell(*)', source: 'default' as const, reason: 'commands need approval' };

function setup(over: { canShow?: boolean; base?: Record<string, string>; addRule?: (r: string) => Promise<void> } = {}) {
  const posted: HostMessage[] = [];
  const rules: string[] = [];
  const fallback = recordingApprover([{ approved: true, scope: 'once' }]);
  let waiter: ((m: HostMessage) => void) | undefined;
  const approver = new WebviewApprover({
    post: (m) => {
      posted.push(m);
      waiter?.(m);
    },
    canShow: () => over.canShow ?? true,
    fallback,
    readBase: async (p) => over.base?.[p] ?? null,
    addAllowRule: over.addRule ?? (async (r) => void rules.push(r)),
    log: silentLogger,
  });
  /** Resolves with the next card posted (or one already posted and not yet taken). */
  let taken = 0;
  const nextCard = (): Promise<Extract<HostMessage, { type: 'approval' }>> =>
    new Promise((resolve) => {
      const check = (): boolean => {
        const cards = posted.filter((m): m is Extract<HostMessage, { type: 'approval' }> => m.type === 'approval');
        if (cards.length > taken) {
          resolve(cards[taken++]!);
          return true;
        }
        return false;
      };
      if (!check()) waiter = () => void check();
    });
  return { approver, posted, rules, fallback, nextCard };
}

test('a shell card shows the command, the policy reason and the exact Always rule; Approve once approves', async () => {
  const { approver, nextCard, posted } = setup();
  const decision = approver.approve({ kind: 'shell', command: 'npm test', cwd: '.', policy });
  const card = await nextCard();
  assert.deepEqual(card.view, { kind: 'shell', command: 'npm test', cwd: '.', policy: { rule: 'ask shell(*)', reason: 'commands need approval', source: 'default' }, alwaysRule: 'shell(npm test)' });
  assert.equal(approver.answer(card.approvalId, { kind: 'once' }), undefined);
  assert.deepEqual(await decision, { approved: true, scope: 'once' });
  assert.equal(posted.at(-1)!.type, 'approvalClosed');
});

test('Always writes only the offered rule; another rule from the webview is ignored', async () => {
  const { approver, nextCard, rules } = setup();
  const decision = approver.approve({ kind: 'tool', tool: 'github.create_issue', args: { title: 'x' }, policy });
  const card = await nextCard();
  assert.match(approver.answer(card.approvalId, { kind: 'always', rule: 'shell(*)' }) ?? '', /not the one the card offered/);
  assert.equal(approver.answer(card.approvalId, { kind: 'always', rule: 'mcp(github.create_issue)' }), undefined);
  assert.deepEqual(await decision, { approved: true, scope: 'always' });
  assert.deepEqual(rules, ['mcp(github.create_issue)']);
});

test('no Always for commands with shell operators, substitutions or quotes', () => {
  for (const command of ['npm test && rm -rf /', 'echo $(id)', 'ls > out', "git commit -m 'x'", 'a\nb', 'cat *']) {
    assert.equal(alwaysRuleFor({ kind: 'shell', command, cwd: '.', policy }), undefined, command);
  }
  assert.equal(alwaysRuleFor({ kind: 'tool', tool: 'bad name(*)', args: {}, policy }), undefined);
});

test('Deny sends the reason back; an empty reason says the user denied', async () => {
  const { approver, nextCard } = setup();
  const d1 = approver.approve({ kind: 'shell', command: 'make', cwd: '.', policy });
  approver.answer((await nextCard()).approvalId, { kind: 'deny', reason: 'use the test script instead' });
  assert.deepEqual(await d1, { approved: false, reason: 'use the test script instead' });
  const d2 = approver.approve({ kind: 'shell', command: 'make', cwd: '.', policy });
  approver.answer((await nextCard()).approvalId, { kind: 'deny', reason: ' ' });
  assert.deepEqual(await d2, { approved: false, reason: 'denied by the user' });
});

test('an edited plan comes back as the approved plan; a plan answer on a shell card is ignored', async () => {
  const { approver, nextCard } = setup();
  const d = approver.approve({ kind: 'plan', plan: '1. a' });
  const card = await nextCard();
  assert.deepEqual(card.view, { kind: 'plan', plan: '1. a' });
  approver.answer(card.approvalId, { kind: 'plan', plan: '1. b\n2. c' });
  assert.deepEqual(await d, { approved: true, plan: '1. b\n2. c' });
  const s = approver.approve({ kind: 'shell', command: 'make', cwd: '.', policy });
  const shellCard = await nextCard();
  assert.match(approver.answer(shellCard.approvalId, { kind: 'plan', plan: 'x' }) ?? '', /plan answer for a shell card/);
  approver.answer(shellCard.approvalId, { kind: 'once' });
  assert.equal((await s).approved, true);
});

test('an edit reviewed per hunk returns the accepted subset and the rejections', async () => {
  const base = Array.from({ length: 30 }, (_, i) => `l${i + 1}\n`).join('');
  const next = base.replace('l2\n', 'L2\n').replace('l25\n', 'L25\n');
  const other = 'x\n';
  const request: ApprovalRequest = {
    kind: 'edit',
    policy,
    changeSet: {
      id: 'c1',
      files: [
        { path: 'a.txt', baseHash: 'h', newContent: next, diff: unifiedDiff('a.txt', base, next) },
        { path: 'b.txt', baseHash: 'h2', newContent: 'y\n', diff: unifiedDiff('b.txt', other, 'y\n') },
      ],
    },
  };
  const { approver, nextCard } = setup({ base: { 'a.txt': base, 'b.txt': other } });
  const d = approver.approve(request);
  const card = await nextCard();
  assert.equal(card.view.kind, 'edit');
  if (card.view.kind !== 'edit') return;
  assert.deepEqual(card.view.files.map((f) => [f.path, f.change, f.hunks.length]), [['a.txt', 'modify', 2], ['b.txt', 'modify', 1]]);
  assert.match(approver.answer(card.approvalId, { kind: 'edit', files: [{ path: 'a.txt', hunks: [5] }], reason: '' }) ?? '', /no such hunk/);
  approver.answer(card.approvalId, { kind: 'edit', files: [{ path: 'a.txt', hunks: [1] }], reason: 'keep l2' });
  const decision = await d;
  assert.equal(decision.approved, true);
  if (!decision.approved) return;
  assert.deepEqual(decision.changeSet?.files.map((f) => f.path), ['a.txt']);
  assert.equal(decision.changeSet?.files[0]!.newContent, base.replace('l25\n', 'L25\n'));
  assert.deepEqual(decision.rejected, [{ path: 'a.txt', hunk: 1, reason: 'keep l2' }, { path: 'b.txt', reason: 'keep l2' }]);
});

test('stopping the task denies the waiting card; a hidden view and other kinds go to the fallback', async () => {
  const { approver, nextCard, posted } = setup();
  const controller = new AbortController();
  const d = approver.approve({ kind: 'shell', command: 'make', cwd: '.', policy }, controller.signal);
  await nextCard();
  controller.abort();
  assert.deepEqual(await d, { approved: false, reason: 'the task was stopped' });
  assert.equal(posted.at(-1)!.type, 'approvalClosed');

  const hidden = setup({ canShow: false });
  assert.deepEqual(await hidden.approver.approve({ kind: 'shell', command: 'make', cwd: '.', policy }), { approved: true, scope: 'once' });
  assert.equal(hidden.fallback.requests.length, 1);
  const other = setup();
  await other.approver.approve({ kind: 'sampling', server: 's', messages: [], maxTokens: 5 });
  assert.equal(other.fallback.requests[0]!.kind, 'sampling');
  assert.equal(other.posted.length, 0);
});

test('approvalView builds hunks from the diff for a new file', () => {
  const view = approvalView({ kind: 'edit', policy, changeSet: { id: 'x', files: [{ path: 'n.ts', baseHash: null, newContent: 'a\n', diff: unifiedDiff('n.ts', null, 'a\n') }] } });
  assert.deepEqual(view, { kind: 'edit', policy: { rule: policy.rule, reason: policy.reason, source: policy.source }, files: [{ path: 'n.ts', change: 'create', hunks: [{ header: '@@ -0,0 +1,1 @@', lines: ['+a'] }] }] });
});

test('addAllowRule adds to the project file atomically, keeps what is there, and refuses a broken file', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tiller-rule-'));
  await addAllowRule(root, 'shell(npm test)');
  await addAllowRule(root, 'shell(npm test)');
  await addAllowRule(root, 'mcp(github.list)');
  const text = readFileSync(join(root, '.tiller', 'permissions.json'), 'utf8');
  assert.deepEqual(JSON.parse(text), { allow: ['shell(npm test)', 'mcp(github.list)'] });
  assert.deepEqual(parseProjectRules(text, 'p').errors, []);

  const broken = mkdtempSync(join(tmpdir(), 'tiller-rule-'));
  mkdirSync(join(broken, '.tiller'));
  writeFileSync(join(broken, '.tiller', 'permissions.json'), '{"allow": ["nonsense"]}');
  await assert.rejects(addAllowRule(broken, 'shell(make)'), /the rule was not saved/);
  assert.equal(readFileSync(join(broken, '.tiller', 'permissions.json'), 'utf8'), '{"allow": ["nonsense"]}');
  await assert.rejects(addAllowRule(root, 'shell('), /not a valid rule/);
});

test('"Review in editor" on an edit card hands the same request to the editor review, whose decision stands', async () => {
  const { approver, fallback, nextCard, posted } = setup();
  const changeSet = { id: 'c9', files: [{ path: 'a.txt', baseHash: 'h', newContent: 'b\n', diff: unifiedDiff('a.txt', 'a\n', 'b\n') }] };
  const decision = approver.approve({ kind: 'edit', policy, changeSet });
  const card = await nextCard();
  assert.equal(approver.answer(card.approvalId, { kind: 'review_in_editor' }), undefined);
  assert.deepEqual(await decision, { approved: true, scope: 'once' }, 'the editor review (the fallback here) decided');
  assert.equal(fallback.requests.length, 1);
  assert.ok(fallback.requests[0]!.kind === 'edit' && fallback.requests[0]!.changeSet === changeSet);
  assert.ok(posted.some((m) => m.type === 'approvalClosed' && m.approvalId === card.approvalId));

  const shell = approver.approve({ kind: 'shell', command: 'ls', cwd: '.', policy });
  const shellCard = await nextCard();
  assert.match(approver.answer(shellCard.approvalId, { kind: 'review_in_editor' })!, /only an edit/);
  approver.answer(shellCard.approvalId, { kind: 'once' });
  assert.equal((await shell).approved, true);
});

test('a closed edit card reports the final per-hunk outcome, whoever reviewed it', async () => {
  const { closedCard } = await import('../../../extension/vscode/webview-approver.js');
  const diff = ['--- a/a.ts', '+++ b/a.ts', '@@ -1,1 +1,1 @@', '-a', '+A', '@@ -5,1 +5,1 @@', '-e', '+E', '@@ -9,1 +9,1 @@', '-i', '+I'].join('\n');
  const request: ApprovalRequest = { kind: 'edit', policy, changeSet: { id: 'c', files: [{ path: 'a.ts', baseHash: 'h', newContent: 'x', diff }] } };
  // The editor review rejected hunk 1 and accepted the rest: never "3 of 3 accepted".
  const partial = closedCard(request as Extract<ApprovalRequest, { kind: 'edit' }>, {
    approved: true,
    scope: 'once',
    changeSet: request.changeSet,
    rejected: [{ path: 'a.ts', hunk: 1, reason: 'rejected in the editor review' }],
  });
  assert.deepEqual(partial, { outcome: 'approved: 2 of 3 changes accepted, 1 rejected', approved: true, hunks: [{ path: 'a.ts', hunks: ['rejected', 'accepted', 'accepted'] }] });
  // Reject all: rejected, every hunk.
  const none = closedCard(request as Extract<ApprovalRequest, { kind: 'edit' }>, { approved: false, reason: 'denied by the user' });
  assert.deepEqual(none, { outcome: 'rejected: none of the 3 changes applied', approved: false, hunks: [{ path: 'a.ts', hunks: ['rejected', 'rejected', 'rejected'] }] });
  const why = closedCard(request as Extract<ApprovalRequest, { kind: 'edit' }>, { approved: false, reason: 'wrong file' });
  assert.equal(why.outcome, 'rejected: none of the 3 changes applied (wrong file)');
  // Other cards: the default denial reason is not repeated after "denied".
  assert.deepEqual(closedCard({ kind: 'shell', command: 'ls', cwd: '.', policy }, { approved: false, reason: 'denied by the user' }), { outcome: 'denied', approved: false });
  assert.deepEqual(closedCard({ kind: 'shell', command: 'ls', cwd: '.', policy }, { approved: true, scope: 'always' }), { outcome: 'approved, and the rule was saved', approved: true });
});
