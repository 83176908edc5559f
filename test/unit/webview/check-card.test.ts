// The check card in the chat: name, result, duration, expandable output (open when it failed), all as text.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { installGlobalDocument, type FakeElement } from './dom-shim.js';
import { checkEntry } from '../../../extension/protocol/check-entry.js';
import { transcriptEntrySchema } from '../../../extension/protocol/messages.js';

let checkCard: typeof import('../../../webview/check-card.js').checkCard;
before(async () => {
  installGlobalDocument();
  ({ checkCard } = await import('../../../webview/check-card.js'));
});

const event = { type: 'check' as const, name: 'npm test', command: 'npm test', after: 'edit' as const, status: 'failed' as const, passed: false, exitCode: 1, durationMs: 1234, preview: '✖ adds <b>two</b>\nAssertionError: 4 !== 3\n' };

test('a failed check: head with the result, exit code and time; the output open, as text not markup', () => {
  const card = checkCard(checkEntry(event)) as unknown as FakeElement;
  assert.equal(card.tagName, 'details');
  assert.equal(card.byClass('check-name')[0]!.textContent, 'npm test failed (exit 1) · 1.2 s · after edit');
  assert.equal(card.getAttribute('open'), '');
  assert.equal(card.byTag('b').length, 0);
  assert.match(card.byClass('check-output')[0]!.textContent, /AssertionError: 4 !== 3/);
  assert.ok(card.classList.contains('error'));
});

test('a passed check stays closed; a not-run one says why, without a time', () => {
  const ok = checkCard(checkEntry({ ...event, status: 'passed', passed: true, exitCode: 0, preview: '' })) as unknown as FakeElement;
  assert.equal(ok.getAttribute('open'), null);
  assert.equal(ok.byClass('check-output')[0]!.textContent, '(no output)');
  const denied = checkCard(checkEntry({ ...event, after: 'done', status: 'not_run', exitCode: null, durationMs: 0, preview: '', reason: 'denied by the permission rules (deny shell(npm *))' })) as unknown as FakeElement;
  assert.equal(denied.byClass('check-name')[0]!.textContent, 'npm test not run · before done');
  assert.match(denied.byClass('check-reason')[0]!.textContent, /deny shell\(npm \*\)/);
});

test('the stored transcript entry passes the protocol schema', () => {
  assert.equal(transcriptEntrySchema.safeParse(checkEntry(event)).success, true);
  assert.equal(transcriptEntrySchema.safeParse({ ...checkEntry(event), status: 'exploded' }).success, false);
});
