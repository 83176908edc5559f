import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { FakeElement, FakeEvent, installGlobalDocument } from './dom-shim.js';
import type { ApprovalAnswer, ApprovalView } from '../../../extension/protocol/messages.js';

let approvalCard: typeof import('../../../webview/approval-card.js').approvalCard;
let closeCard: typeof import('../../../webview/approval-card.js').closeCard;

before(async () => {
  installGlobalDocument();
  (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame = (cb: (t: number) => void) => setImmediate(() => cb(0));
  ({ approvalCard, closeCard } = await import('../../../webview/approval-card.js'));
});

const policy = { rule: 'ask shell(*)', reason: 'shell commands ask', source: 'default' };

function card(view: ApprovalView): { root: FakeElement; answers: ApprovalAnswer[]; byLabel(label: string): FakeElement } {
  const answers: ApprovalAnswer[] = [];
  const root = approvalCard(view, (a) => answers.push(a)) as unknown as FakeElement;
  const byLabel = (label: string): FakeElement => {
    const found = root.find((e) => e.getAttribute('aria-label') === label);
    assert.ok(found, `no control labelled ${label}`);
    return found;
  };
  return { root, answers, byLabel };
}

test('a shell card shows the command as text, why the policy asked, and answers once', () => {
  const { root, answers, byLabel } = card({ kind: 'shell', command: 'echo <img src=x onerror=alert(1)>', cwd: '.', policy, alwaysRule: 'shell(echo)' });
  assert.equal(root.byTag('img').length, 0);
  assert.equal(root.byClass('card-command')[0]!.textContent, 'echo <img src=x onerror=alert(1)>');
  // Tiller's default is named by its reason alone, not reason, rule name and source in a row.
  assert.equal(root.byClass('card-why')[0]!.textContent, ' shell commands ask');
  byLabel('Approve once').click();
  byLabel('Approve once').click();
  assert.deepEqual(answers, [{ kind: 'once' }]);
  assert.equal(byLabel('Deny').disabled, true);
  closeCard(root as unknown as HTMLElement, { outcome: 'approved', approved: true });
  assert.equal(root.byClass('card-actions').length, 0);
  assert.equal(root.byClass('card-outcome')[0]!.textContent, 'approved');
});

test('Always shows the exact rule and only saves after confirming', () => {
  const { root, answers, byLabel } = card({ kind: 'tool', tool: 'github.create_issue', args: '{"title": "x"}', policy, alwaysRule: 'mcp(github.create_issue)' });
  const confirm = root.byClass('always-confirm')[0]!;
  assert.equal(confirm.hidden, true);
  byLabel('Always…').click();
  assert.equal(confirm.hidden, false);
  assert.equal(root.byClass('always-rule')[0]!.textContent, 'mcp(github.create_issue)');
  assert.deepEqual(answers, []);
  byLabel('Cancel').click();
  assert.equal(confirm.hidden, true);
  byLabel('Always…').click();
  byLabel('Save rule and approve').click();
  assert.deepEqual(answers, [{ kind: 'always', rule: 'mcp(github.create_issue)' }]);
});

test('no Always button when the extension offers no rule; Deny asks for a reason and sends it', () => {
  const { root, answers, byLabel } = card({ kind: 'shell', command: 'rm -rf build && make', cwd: '.', policy });
  assert.equal(root.find((e) => e.getAttribute('aria-label') === 'Always…'), undefined);
  const reason = byLabel('Reason for denying');
  assert.equal(reason.hidden, true);
  byLabel('Deny').click();
  assert.equal(reason.hidden, false);
  (reason as { value?: string }).value = 'use make clean';
  reason.dispatchEvent(new FakeEvent('keydown', { key: 'Enter' }));
  assert.deepEqual(answers, [{ kind: 'deny', reason: 'use make clean' }]);
});

test('a plan is edited, reordered, trimmed and extended before approval', () => {
  const { answers, byLabel, root } = card({ kind: 'plan', plan: '1. read the code\n2. fix the bug\n3. write a poem' });
  const step = (n: number): FakeElement => byLabel(`Step ${n}`);
  (step(2) as { value?: string }).value = 'fix the null check';
  step(2).dispatchEvent(new FakeEvent('input'));
  // Delete step 3, move step 2 up, add a step.
  root.byTag('li')[2]!.find((e) => e.getAttribute('aria-label') === 'Delete step')!.click();
  root.byTag('li')[1]!.find((e) => e.getAttribute('aria-label') === 'Move up')!.click();
  byLabel('Add step').click();
  (step(3) as { value?: string }).value = 'run the tests';
  step(3).dispatchEvent(new FakeEvent('input'));
  byLabel('Approve plan').click();
  assert.deepEqual(answers, [{ kind: 'plan', plan: '1. fix the null check\n2. read the code\n3. run the tests' }]);
});

test('an edit card sends the hunks left ticked and the reason', async () => {
  const { answers, byLabel, root } = card({
    kind: 'edit',
    policy,
    files: [
      { path: 'a.ts', change: 'modify', hunks: [{ header: '@@ -1,1 +1,1 @@', lines: ['-a', '+b'] }, { header: '@@ -9,1 +9,1 @@', lines: ['-c', '+d'] }] },
      { path: 'b.ts', change: 'modify', hunks: [{ header: '@@ -1,1 +1,1 @@', lines: ['-x', '+<script>'] }] },
    ],
  });
  const hunk = byLabel('Accept change 1 of a.ts');
  hunk.checked = false;
  hunk.dispatchEvent(new FakeEvent('change'));
  assert.equal(byLabel('Accept a.ts').indeterminate, true);
  const file = byLabel('Accept b.ts');
  file.checked = false;
  file.dispatchEvent(new FakeEvent('change'));
  assert.equal(root.byClass('selection-summary')[0]!.textContent, '1 of 3 changes accepted');
  (byLabel('Reason for rejected changes') as { value?: string }).value = 'keep the old name';
  byLabel('Apply selected').click();
  assert.deepEqual(answers, [{ kind: 'edit', files: [{ path: 'a.ts', hunks: [1] }], reason: 'keep the old name' }]);
  // Diff lines arrive a frame later, as text.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  const lines = root.byClass('diff-line').map((l) => l.textContent);
  assert.deepEqual(lines, ['-a', '+b', '-c', '+d', '-x', '+<script>']);
  assert.equal(root.byTag('script').length, 0);
});

test('an edit card can hand the review to the editor', () => {
  const { answers, byLabel } = card({
    kind: 'edit',
    policy,
    description: 'rename',
    files: [{ path: 'a.ts', change: 'modify', hunks: [{ header: '@@ -1,1 +1,1 @@', lines: ['-a', '+b'] }] }],
  });
  byLabel('Review in editor').click();
  assert.deepEqual(answers, [{ kind: 'review_in_editor' }]);
});

test('a shell card lists what the command may touch in the sandbox, and names an escalation as text', () => {
  const { root } = card({
    kind: 'shell',
    command: 'curl https://x.dev',
    cwd: '.',
    policy,
    sandbox: ['sandbox: bubblewrap', 'writable: /w', 'network: off'],
    escalation: 'network to <b>x.dev</b> — because: fetch',
  });
  assert.deepEqual(root.byClass('card-sandbox-line').map((e) => e.textContent), ['sandbox: bubblewrap', 'writable: /w', 'network: off']);
  assert.equal(root.byClass('card-escalation')[0]!.textContent, 'Outside the sandbox: network to <b>x.dev</b> — because: fetch');
  assert.equal(root.byTag('b').length, 0);
});

test('a closed edit card shows each hunk\'s final outcome, not the ticks it had before the answer', () => {
  const { byLabel, root } = card({
    kind: 'edit',
    policy,
    files: [
      { path: 'a.ts', change: 'modify', hunks: [{ header: '@@ -1,1 +1,1 @@', lines: ['-a', '+b'] }, { header: '@@ -9,1 +9,1 @@', lines: ['-c', '+d'] }] },
      { path: 'b.ts', change: 'modify', hunks: [{ header: '@@ -1,1 +1,1 @@', lines: ['-x', '+y'] }] },
    ],
  });
  // Everything was ticked when "Review in editor" was chosen; the editor then rejected a.ts's first hunk and b.ts.
  byLabel('Review in editor').click();
  closeCard(root as unknown as HTMLElement, {
    outcome: 'approved: 1 of 3 changes accepted, 2 rejected',
    approved: true,
    hunks: [{ path: 'a.ts', hunks: ['rejected', 'accepted'] }, { path: 'b.ts', hunks: ['rejected'] }],
  });
  assert.equal(root.byClass('selection-summary').length, 0, 'no "3 of 3 changes accepted" left over');
  assert.deepEqual(root.byClass('diff-hunk').map((h) => h.className), ['diff-hunk rejected', 'diff-hunk accepted', 'diff-hunk rejected']);
  assert.deepEqual(root.byClass('diff-hunk-outcome').map((m) => m.textContent), ['✗ rejected', '✓ accepted', '✗ rejected']);
  assert.equal(byLabel('Accept change 1 of a.ts').checked, false);
  assert.equal(byLabel('Accept change 2 of a.ts').checked, true);
  assert.equal(byLabel('Accept a.ts').indeterminate, true);
  assert.equal(byLabel('Accept b.ts').checked, false);
  assert.equal(root.byClass('card-outcome')[0]!.className, 'card-outcome ok');
});

test('the policy line names a written rule and where it lives, once', async () => {
  const { policyParts } = await import('../../../webview/approval-model.js');
  assert.deepEqual(policyParts({ rule: 'default: writes ask', reason: 'write of `a.ts`: writes ask by default', source: 'default' }), { reason: 'write of `a.ts`: writes ask by default' });
  assert.deepEqual(policyParts({ rule: 'ask write(src/**)', reason: 'write of `src/a.ts` matches the project rule `ask write(src/**)`', source: 'project' }), {
    reason: 'write of `src/a.ts` matches the project rule `ask write(src/**)`',
    where: "the project's .tiller/permissions.json",
  });
  assert.deepEqual(policyParts({ rule: 'ask shell(*)', reason: 'commands ask', source: 'user' }), { reason: 'commands ask', rule: 'ask shell(*)', where: 'your settings' });
});
